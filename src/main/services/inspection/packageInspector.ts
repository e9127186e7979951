import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  MODEL_PACKAGE_FORMAT,
  type ModelPackageManifest,
  modelPackageManifestSchema,
  type PackageInspection,
} from '../../../shared/modelPackage';
import { DomainError } from '../../domainError';
import type { FeatureExtractor } from '../../engine/backbone/featureExtractor';
import { judgeInspection } from '../../engine/inspection/inspectionJudgement';
import { openHeadsGraphs, type LtadHeads } from '../../engineAdapters/ltadHeadsSession';
import { openOnnxImageTower } from '../../engineAdapters/onnxImageTower';
import { readImageFile } from '../../ingest/imageDecoder';
import { LETTERBOX_BACKGROUND, VIEW_MAX_SIDE } from '../../ingest/networkInput';
import { normaliseScore } from '../../../shared/normalisedScore';
import { decodeForInspection, scoreImages } from './imageScoring';

/** A package's manifest, checked: the format, the schema, and an input recipe this version applies. */
function readManifest(dir: string): ModelPackageManifest {
  if (!existsSync(dir)) throw new DomainError('not-found', `${dir} does not exist: name the folder qa-station export wrote`);
  if (!statSync(dir).isDirectory()) throw new DomainError('invalid-input', `${dir} is a file: name the package's folder, not a file in it`);
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) throw new DomainError('not-found', `${dir} is not a model package: it has no manifest.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DomainError('invalid-input', `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== MODEL_PACKAGE_FORMAT)
    throw new DomainError(
      'invalid-input',
      `${dir}: package format ${JSON.stringify(format)} is not ${MODEL_PACKAGE_FORMAT}: export it again with this version`,
    );
  const parsed = modelPackageManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new DomainError(
      'invalid-input',
      `${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const { input } = parsed.data;
  if (input.viewMaxSide !== VIEW_MAX_SIDE || input.letterboxColour.some((c, i) => c !== LETTERBOX_BACKGROUND[i]))
    throw new DomainError(
      'invalid-input',
      `${dir}: the package decodes images in a way this version does not: export it again with this version`,
    );
  return parsed.data;
}

/** Every file the manifest lists, present and matching its hash: a damaged package is refused before it scores anything. */
function checkFiles(dir: string, manifest: ModelPackageManifest): void {
  const listed = new Set(Object.keys(manifest.files));
  for (const needed of [manifest.imageTower.file, ...manifest.products.map((p) => p.heads)])
    if (!listed.has(needed)) throw new DomainError('invalid-input', `${dir}: the manifest does not list ${needed}`);
  for (const [name, { sha256 }] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) throw new DomainError('invalid-input', `${dir}: ${name} is missing`);
    if (createHash('sha256').update(readFileSync(file)).digest('hex') !== sha256)
      throw new DomainError('invalid-input', `${dir}: ${name} does not match its hash in the manifest: it was changed or damaged`);
  }
}

/**
 * Scores images from an exported package alone: no catalogue, no model directory, no station. The
 * same decode, graphs and judgement as the station's inspector, so the same image gets the same
 * score and verdict (docs/ARCHITECTURE.md, Model packages).
 */
export class PackageInspector {
  private constructor(
    readonly manifest: ModelPackageManifest,
    private readonly extractor: FeatureExtractor,
    private readonly heads: LtadHeads,
  ) {}

  static async open(dir: string): Promise<PackageInspector> {
    const manifest = readManifest(dir);
    checkFiles(dir, manifest);
    const heads = new Map(manifest.products.map((p) => [p.name, path.join(dir, p.heads)]));
    const { grid, layerChannels } = manifest.tokens;
    const extractor = await openOnnxImageTower(dir, manifest.imageTower, {
      backbone: manifest.model.backbone as FeatureExtractor['backbone'],
      label: `package ${manifest.model.version}`,
    });
    const graphs = openHeadsGraphs(
      (product) => {
        const file = heads.get(product);
        if (!file) throw new DomainError('no-model', `Package ${manifest.model.version} has no product "${product}"`);
        return file;
      },
      { tokens: grid * grid, dim: layerChannels.reduce((a, b) => a + b, 0) },
    );
    return new PackageInspector(manifest, extractor, graphs);
  }

  /** Inspects one image file as `product`; errors name the file. */
  async inspectFile(file: string, product: string): Promise<PackageInspection> {
    const entry = this.manifest.products.find((p) => p.name === product);
    if (!entry)
      throw new DomainError(
        'no-model',
        `Package ${this.manifest.model.version} has no product "${product}" (it has ${this.manifest.products.map((p) => p.name).join(', ')})`,
      );
    const { input: recipe, tokens, map, prototypes } = this.manifest;
    const { view, input } = await decodeForInspection(await readImageFile(file), file, this.extractor.inputSize, recipe.fit);
    const [scored] = await scoreImages(this.extractor, tokens.grid, (batch, count, p) => this.heads.score(batch, count, p), [
      { input, product },
    ]);
    if (!scored) throw new Error('The package gave no score');
    const judgement = judgeInspection({
      tokenScores: scored.tokenScores,
      grid: tokens.grid,
      map,
      frame: input.frame,
      threshold: entry.threshold,
      product,
      prototypes: { ...prototypes, vectors: Float32Array.from(prototypes.vectors) },
      pooled: scored.pooled,
      sourceSize: { width: view.sourceWidth, height: view.sourceHeight },
    });
    return {
      file,
      product,
      modelVersion: this.manifest.model.version,
      score: judgement.imageScore,
      threshold: entry.threshold,
      normalisedScore:
        entry.scoreSpread === undefined
          ? null
          : normaliseScore(judgement.imageScore, { threshold: entry.threshold, spread: entry.scoreSpread }),
      verdict: judgement.verdict,
      regions: judgement.regions,
      classWarning: judgement.prototypeCheck.warning,
      nearestProduct: judgement.prototypeCheck.nearestClass,
    };
  }

  get runtimeDetail(): string {
    return `${this.extractor.runtimeDetail}; heads ${this.heads.runtimeDetail}`;
  }

  async dispose(): Promise<void> {
    await this.heads.dispose();
    await this.extractor.dispose();
  }
}
