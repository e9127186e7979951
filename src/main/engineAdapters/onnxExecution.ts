import * as ort from 'onnxruntime-node';
import type { OnnxExecutionInfo } from '../../shared/api/apiRecords';
import {
  describePassedOver,
  type PassedOverProvider,
  type ProviderPreference,
  preferProviders,
} from '../engine/executionProviders/providerPreference';
import { readOnnxProviderAvailability } from './onnxProviderAvailability';
import { probeProvider } from './onnxProviderProbe';

/** The execution provider every onnxruntime session of this process is created on (docs/ARCHITECTURE.md, Inference). */
export interface OnnxExecution {
  provider: string;
  /** What sessions are created with: the provider, then CPU for any node it does not run. */
  sessionProviders: string[];
  /** Better providers not in use, and why. */
  passedOver: PassedOverProvider[];
}

/** Rejects with why a provider cannot be used. */
export type ProviderProbe = (provider: string) => Promise<void>;

/** The error's first line, without onnxruntime's source location and failed condition ("x.cc:136 f() c was false. why"). */
function firstLine(error: unknown): string {
  const raw = (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
  const line = / was false\. (.+)$/.exec(raw)?.[1] ?? raw;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** Tries the preferred providers in order with the probe; the first that works is used, else CPU. */
export async function chooseOnnxExecution(preference: ProviderPreference, probe: ProviderProbe): Promise<OnnxExecution> {
  const passedOver = [...preference.passedOver];
  for (const provider of preference.order) {
    // CPU is the baseline that sessions always had: it needs no probe.
    if (provider === 'cpu') break;
    try {
      await probe(provider);
      return { provider, sessionProviders: [provider, 'cpu'], passedOver };
    } catch (error) {
      passedOver.push({ provider, reason: 'failed', message: firstLine(error) });
    }
  }
  return { provider: 'cpu', sessionProviders: ['cpu'], passedOver };
}

/** CPU after `execution`'s provider failed to open a session. */
function cpuAfterFailure(execution: OnnxExecution, error: unknown): OnnxExecution {
  return {
    provider: 'cpu',
    sessionProviders: ['cpu'],
    passedOver: [...execution.passedOver, { provider: execution.provider, reason: 'failed', message: firstLine(error) }],
  };
}

/** "onnxruntime-node 1.30.0 cpu (cuda not installed)": what the UI, the CLI and benchmarks report. */
export function onnxRuntimeDetail(execution: OnnxExecution): string {
  const notes = execution.passedOver.map(describePassedOver);
  return `onnxruntime-node ${ort.env.versions.common} ${execution.provider}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** The choice as the station API reports it. */
export function onnxExecutionInfo(execution: OnnxExecution): OnnxExecutionInfo {
  return { provider: execution.provider, fallbacks: execution.passedOver.map(describePassedOver) };
}

/**
 * The choice, made once (each worker thread is a process of its own here) and reused by every
 * session. A provider that was tried and failed is a surprise worth a warning; one that is merely
 * not installed is the ordinary state of a CPU station and is only reported in the detail.
 */
export class OnnxExecutionChoice {
  private pending: Promise<OnnxExecution> | undefined;
  private settled: OnnxExecution | undefined;

  constructor(
    private readonly preference: () => ProviderPreference,
    private readonly probe: ProviderProbe,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  get(): Promise<OnnxExecution> {
    this.pending ??= Promise.resolve()
      .then(() => chooseOnnxExecution(this.preference(), this.probe))
      .then((execution) => {
        for (const failed of execution.passedOver.filter((p) => p.reason === 'failed'))
          this.warn(`onnxruntime: ${describePassedOver(failed)}; using ${execution.provider} instead`);
        return this.settle(execution);
      });
    return this.pending;
  }

  /** The choice once made, else undefined. */
  current(): OnnxExecution | undefined {
    return this.settled;
  }

  /**
   * The runtime detail of the choice. Where only CPU is to be tried there is nothing to wait for,
   * so a caller that asks before any session (a model whose backbone is not on onnxruntime) gets
   * the final answer; otherwise it hears which provider is still to be tried.
   */
  detail(): string {
    if (this.settled) return onnxRuntimeDetail(this.settled);
    let preference: ProviderPreference;
    try {
      preference = this.preference();
    } catch (error) {
      return `onnxruntime-node ${ort.env.versions.common} (no provider: ${firstLine(error)})`;
    }
    const [first] = preference.order;
    if (first !== 'cpu') return `onnxruntime-node ${ort.env.versions.common} ${first} (to be tried at the first session)`;
    const cpu: OnnxExecution = { provider: 'cpu', sessionProviders: ['cpu'], passedOver: preference.passedOver };
    this.pending ??= Promise.resolve(cpu);
    return onnxRuntimeDetail(this.settle(cpu));
  }

  /**
   * A session failed to open on `failed`'s provider: CPU for it and every later session, so the
   * failure is not repeated. Sessions that failed together fall back once.
   */
  fallBack(failed: OnnxExecution, error: unknown): OnnxExecution {
    if (this.settled && this.settled.provider !== failed.provider) return this.settled;
    const next = cpuAfterFailure(failed, error);
    this.warn(`onnxruntime: a session did not open on ${failed.provider} (${firstLine(error)}); using cpu from now on`);
    this.pending = Promise.resolve(next);
    return this.settle(next);
  }

  private settle(execution: OnnxExecution): OnnxExecution {
    this.settled = execution;
    return execution;
  }
}

/** What the binary offers, ordered for this platform (QA_STATION_ONNX_PROVIDER may name one). */
function stationPreference(): ProviderPreference {
  const availability = readOnnxProviderAvailability();
  return preferProviders({
    platform: availability.platform,
    listed: availability.listed,
    installed: availability.installed,
    requested: process.env.QA_STATION_ONNX_PROVIDER || undefined,
  });
}

/** This process's choice: the one place that decides which provider sessions run on. */
export const processOnnxExecution = new OnnxExecutionChoice(stationPreference, (provider) => probeProvider(provider));
