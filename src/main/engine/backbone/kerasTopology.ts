/** The parts of a Keras functional-model topology (model.json) that the station reads. */
export interface KerasLayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  /** [[[inboundLayerName, nodeIndex, tensorIndex, kwargs], ...]] */
  inbound_nodes: unknown[][];
}

export interface KerasModelTopology {
  model_config: { class_name: string; config: { layers: KerasLayerJson[] } };
}

export function topologyLayers(topology: KerasModelTopology): KerasLayerJson[] {
  return topology.model_config.config.layers;
}

/** Names of the layers feeding `layer` (first call of the layer only: these models call each once). */
export function inboundLayerNames(layer: KerasLayerJson): string[] {
  const firstCall = layer.inbound_nodes[0];
  if (!firstCall) return [];
  return firstCall.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new Error(`Layer ${layer.name}: unexpected inbound node format`);
    }
    return entry[0];
  });
}

/** Every layer needed to compute `targets`, in topological (file) order. */
export function ancestorsInOrder(layers: KerasLayerJson[], targets: readonly string[]): KerasLayerJson[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const needed = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (needed.has(name)) continue;
    const layer = byName.get(name);
    if (!layer) throw new Error(`Unknown layer "${name}"`);
    needed.add(name);
    stack.push(...inboundLayerNames(layer));
  }
  return layers.filter((l) => needed.has(l.name));
}
