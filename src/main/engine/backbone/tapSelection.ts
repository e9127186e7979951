import { topologyLayers, type KerasModelTopology } from './kerasTopology';
import type { BackboneSpec } from './backboneSpecs';

/**
 * Checks requested taps against the model: each must exist and lie at or before the last layer
 * that kept its ImageNet weights. Returns them in network order (shallow to deep).
 */
export function resolveTaps(spec: BackboneSpec, topology: KerasModelTopology, requested?: readonly string[]): string[] {
  const taps = requested && requested.length > 0 ? [...new Set(requested)] : [...spec.defaultTaps];
  const order = new Map(topologyLayers(topology).map((layer, index) => [layer.name, index]));
  const boundary = order.get(spec.lastImageNetLayer);
  if (boundary === undefined) throw new Error(`${spec.id}: boundary layer ${spec.lastImageNetLayer} is missing from the model`);
  for (const tap of taps) {
    const index = order.get(tap);
    if (index === undefined) throw new Error(`${spec.id} has no layer named "${tap}"`);
    if (index > boundary) {
      throw new Error(`${spec.id} layer "${tap}" comes after ${spec.lastImageNetLayer}: its weights are not ImageNet weights`);
    }
  }
  return taps.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
}
