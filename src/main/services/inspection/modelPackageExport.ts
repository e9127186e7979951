import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { MODEL_PACKAGE_FORMAT, type ModelPackageManifest } from '../../../shared/modelPackage';
import type { Catalog } from '../../catalog/catalog';
import { DomainError } from '../../domainError';
import { inputFitOf } from '../../engine/ltad/ltadConfig';
import { scoreScaleOf } from '../../../shared/normalisedScore';
import { buildLtadHeadsGraph, HEADS_GRAPH_VERSION, headsExportable } from '../../engine/ltad/ltadHeadsGraph';
import type { LtadModel } from '../../engine/ltad/ltadModel';
import { foundationImageTower } from '../../engineAdapters/resolveFoundationPack';
import { LETTERBOX_BACKGROUND, VIEW_MAX_SIDE } from '../../ingest/networkInput';
import type { StationPaths } from '../../stationPaths';
import { loadModelVersion } from './modelVersionLoader';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The package folder must be new or empty, inside a folder that exists and can be written: said plainly, before any work. */
function checkPackageFolder(outDir: string): void {
  const parent = path.dirname(path.resolve(outDir));
  const isFolder = (p: string) => existsSync(p) && statSync(p).isDirectory();
  if (existsSync(outDir) && !isFolder(outDir)) throw new DomainError('invalid-input', `${outDir} is a file: name a folder for the package`);
  if (isFolder(outDir) && readdirSync(outDir).length > 0)
    throw new DomainError('conflict', `${outDir} exists and is not empty: choose a new folder for the package`);
  if (existsSync(parent) && !isFolder(parent))
    throw new DomainError('invalid-input', `${parent} is a file: the package needs a folder to go in`);
  if (!isFolder(parent)) throw new DomainError('invalid-input', `${parent} does not exist: create it first, or choose another place`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new DomainError('invalid-input', `${parent} cannot be written to: choose another place for the package`);
  }
  // Kernel folders (/proc, /sys) pass the checks above but take no new folders.
  if (/^\/(proc|sys)(\/|$)/.test(parent))
    throw new DomainError('invalid-input', `${parent} is a system folder: choose another place for the package`);
}

/**
 * Writes a self-contained package of a model version into `outDir`: the backbone and every
 * product's heads as ONNX graphs, the thresholds in force, the pseudo-name embeddings and what
 * the scoring needs besides, and a manifest with every file's hash (docs/ARCHITECTURE.md, Model
 * packages). Written to a temporary folder and renamed into place, so a killed export leaves no
 * half package; an existing non-empty `outDir` is refused.
 */
export async function exportModelPackage(
  catalog: Catalog,
  paths: StationPaths,
  version: string,
  outDir: string,
  actor: string,
): Promise<ModelPackageManifest> {
  checkPackageFolder(outDir);
  const { row, model } = await loadModelVersion(catalog, version);
  const temp = `${path.resolve(outDir)}.partial-${process.pid}`;
  try {
    if (!headsExportable(model))
      throw new DomainError('invalid-input', `Model ${version} was saved before its heads could be exported: retrain it to export it`);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(path.join(temp, 'heads'), { recursive: true });
    const files: ModelPackageManifest['files'] = {};
    const add = (name: string, data: Uint8Array) => {
      writeFileSync(path.join(temp, name), data);
      files[name] = { sha256: sha256(data), bytes: data.byteLength };
    };
    const { file: towerFile, tower } = await foundationImageTower(model.meta.foundation, model.meta.taps, paths.backboneCacheDir);
    copyFileSync(towerFile, path.join(temp, tower.file));
    const towerBytes = readFileSync(path.join(temp, tower.file));
    files[tower.file] = { sha256: sha256(towerBytes), bytes: towerBytes.byteLength };

    const products = packageProducts(catalog, row.id, model, (name, i) => {
      const file = `heads/${i}.onnx`;
      add(file, buildLtadHeadsGraph(model, name));
      return file;
    });
    const manifest = packageManifest(model, row, tower, products, files);
    writeFileSync(path.join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    rmSync(outDir, { recursive: true, force: true }); // empty, checked above
    mkdirSync(path.dirname(path.resolve(outDir)), { recursive: true });
    renameSync(temp, outDir);
    catalog.audit.record({ actor, action: 'model.export', target: version, details: { dir: path.resolve(outDir) } });
    return manifest;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    model.dispose();
  }
}

/** Each product of the model with its heads file and the catalogue's threshold in force. */
function packageProducts(
  catalog: Catalog,
  modelVersionId: number,
  model: LtadModel,
  writeHeads: (product: string, index: number) => string,
): ModelPackageManifest['products'] {
  const inForce = new Map(catalog.models.calibration(modelVersionId).map((c) => [c.classId, c]));
  const pseudoNames = new Map(model.pseudoNames().map((p) => [p.className, p]));
  return model.meta.classNames.map((name, i) => {
    const calibration = inForce.get(catalog.classes.getByName(name)?.id ?? -1);
    if (!calibration) throw new DomainError('not-found', `The catalogue has no threshold for product "${name}" of this model`);
    const pseudo = pseudoNames.get(name);
    if (!pseudo) throw new Error(`The model has no pseudo-name for product "${name}"`);
    const scale = scoreScaleOf(calibration.threshold, model.meta.calibration[name]?.goodScores ?? []);
    return {
      name,
      heads: writeHeads(name, i),
      threshold: calibration.threshold,
      thresholdSource: calibration.thresholdSource,
      trainedThreshold: model.meta.calibration[name]?.threshold ?? null,
      ...(scale ? { scoreSpread: scale.spread } : {}),
      pseudoName: { tokens: pseudo.tokens, dim: pseudo.dim, values: Array.from(pseudo.data) },
    };
  });
}

function packageManifest(
  model: LtadModel,
  row: { version: string; createdAt: string },
  tower: ModelPackageManifest['imageTower'],
  products: ModelPackageManifest['products'],
  files: ModelPackageManifest['files'],
): ModelPackageManifest {
  const { meta } = model;
  const prototypes = model.prototypes();
  return {
    format: MODEL_PACKAGE_FORMAT,
    model: {
      version: row.version,
      createdAt: row.createdAt,
      backbone: meta.backbone,
      modelFormat: meta.format,
      headsGraphVersion: HEADS_GRAPH_VERSION,
    },
    exportedAt: new Date().toISOString(),
    exportedBy: 'qa-station',
    imageTower: tower,
    input: { viewMaxSide: VIEW_MAX_SIDE, fit: inputFitOf(meta.config), letterboxColour: [...LETTERBOX_BACKGROUND] },
    tokens: { grid: meta.config.grid, layerChannels: [...meta.config.layerChannels] },
    map: { ...meta.map },
    prototypes: {
      classNames: [...prototypes.classNames],
      dim: prototypes.dim,
      minSimilarity: [...prototypes.minSimilarity],
      vectors: Array.from(prototypes.vectors),
    },
    normalisation: { mean: [...meta.normalisation.mean], std: [...meta.normalisation.std] },
    products,
    files,
  };
}
