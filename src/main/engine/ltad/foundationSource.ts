import type { BackboneId } from '../../../shared/backbones';

/**
 * Where a model's pretrained parts come from; stored with every model version. Plain data: the
 * adapters open it (src/main/engineAdapters/resolveFoundationPack.ts).
 */
export type FoundationSource = { kind: 'builtin'; backbone: BackboneId; taps?: string[] } | { kind: 'pack'; dir: string };
