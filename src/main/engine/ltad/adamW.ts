import { tf } from '../tfjsRuntime';

export interface AdamWOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (Loshchilov & Hutter), applied to weights with rank >= 2 only. */
  weightDecay?: number;
}

/** AdamW: Adam with decoupled weight decay; tfjs has Adam but not AdamW. */
export class AdamW {
  private readonly moments = new Map<tf.Variable, { m: tf.Variable; v: tf.Variable }>();
  private step = 0;

  constructor(private readonly options: AdamWOptions) {}

  set learningRate(value: number) {
    this.options.learningRate = value;
  }

  apply(grads: Map<tf.Variable, tf.Tensor>): void {
    this.step++;
    const { learningRate: lr, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.01 } = this.options;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const [variable, grad] of grads) {
        let state = this.moments.get(variable);
        if (!state) {
          state = { m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false) };
          this.moments.set(variable, state);
        }
        const m = state.m.mul(beta1).add(grad.mul(1 - beta1));
        const v = state.v.mul(beta2).add(grad.square().mul(1 - beta2));
        state.m.assign(m);
        state.v.assign(v);
        let update = m.div(c1).div(v.div(c2).sqrt().add(epsilon));
        if (variable.rank >= 2 && weightDecay > 0) update = update.add(variable.mul(weightDecay));
        variable.assign(variable.sub(update.mul(lr)));
      }
    });
  }

  dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}
