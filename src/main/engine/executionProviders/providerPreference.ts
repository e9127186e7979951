/**
 * Which onnxruntime execution providers to try, best first (docs/ARCHITECTURE.md, Inference):
 * pure data in, an ordered list out. The adapters read what the binary has and try the list.
 */

/** One entry of onnxruntime-node's listSupportedBackends(). */
export interface ListedProvider {
  name: string;
  /** False for providers whose libraries are downloaded separately (the CUDA provider on Linux x64). */
  bundled: boolean;
}

export interface ProviderPreferenceInput {
  /** process.platform */
  platform: string;
  listed: readonly ListedProvider[];
  /** The providers listed as not bundled whose libraries are in place (cuda after `npm run install:cuda`). */
  installed: readonly string[];
  /** QA_STATION_ONNX_PROVIDER, when set. */
  requested?: string;
}

/** A provider better than CPU that will not be tried, or was tried and failed, and why. */
export interface PassedOverProvider {
  provider: string;
  reason: 'not-installed' | 'not-in-build' | 'failed';
  /** The error, for 'failed'. */
  message?: string;
}

export interface ProviderPreference {
  /** Providers to try in this order; always ends with 'cpu', which is never passed over. */
  order: string[];
  passedOver: PassedOverProvider[];
}

/** What QA_STATION_ONNX_PROVIDER may name. */
export const REQUESTABLE_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;

/**
 * The providers tried without being asked, per platform. WebGPU is only tried when requested: its
 * adapter can be a software renderer (Mesa's lavapipe, Windows' WARP) that is slower than the CPU
 * provider, and onnxruntime-node cannot tell us which adapter it got.
 */
const AUTOMATIC_PREFERENCE: Record<string, readonly string[]> = {
  linux: ['cuda'],
  win32: ['cuda', 'dml'],
  darwin: ['coreml'],
};

/** Orders the providers this station can try: the platform's preference (or the requested one), CPU last. */
export function preferProviders(input: ProviderPreferenceInput): ProviderPreference {
  const requested = input.requested?.trim().toLowerCase() || undefined;
  if (requested !== undefined && !(REQUESTABLE_PROVIDERS as readonly string[]).includes(requested))
    throw new Error(`QA_STATION_ONNX_PROVIDER must be one of ${REQUESTABLE_PROVIDERS.join(', ')}, not "${input.requested}"`);
  if (requested === 'cpu') return { order: ['cpu'], passedOver: [] };
  const wanted = requested ? [requested] : (AUTOMATIC_PREFERENCE[input.platform] ?? []);
  const order: string[] = [];
  const passedOver: PassedOverProvider[] = [];
  for (const provider of wanted) {
    const listed = input.listed.find((p) => p.name === provider);
    // A provider this build lacks is only worth a word when someone asked for it.
    if (!listed) {
      if (requested) passedOver.push({ provider, reason: 'not-in-build' });
    } else if (!listed.bundled && !input.installed.includes(provider)) passedOver.push({ provider, reason: 'not-installed' });
    else order.push(provider);
  }
  return { order: [...order, 'cpu'], passedOver };
}

/** "cuda not installed", "dml failed: ...": how a passed-over provider reads in the runtime detail. */
export function describePassedOver(passed: PassedOverProvider): string {
  if (passed.reason === 'not-installed') return `${passed.provider} not installed`;
  if (passed.reason === 'not-in-build') return `${passed.provider} not in this onnxruntime-node build`;
  return `${passed.provider} failed: ${passed.message ?? 'unknown error'}`;
}
