import { initTfjs, tf } from './src/main/engine/tfjsRuntime';
(async () => {
  await initTfjs();
  const time = (name: string, f: () => tf.Tensor) => { tf.tidy(() => f().dataSync()); const t0 = performance.now(); for (let i = 0; i < 5; i++) tf.tidy(() => f().dataSync()); console.log(name, ((performance.now() - t0) / 5).toFixed(1), 'ms'); };
  const a = tf.randomNormal([1568, 720]), w = tf.randomNormal([720, 96]);
  time('dense 1568x720x96', () => tf.matMul(a, w));
  const q = tf.randomNormal([32, 196, 24]), kt = tf.randomNormal([32, 24, 196]), s = tf.randomNormal([32, 196, 196]), v = tf.randomNormal([32, 196, 24]);
  time('qk 32x196x24x196', () => tf.matMul(q as tf.Tensor3D, kt as tf.Tensor3D));
  time('sv 32x196x196x24', () => tf.matMul(s as tf.Tensor3D, v as tf.Tensor3D));
  time('transpose q', () => q.transpose([0, 2, 1]));
  time('softmax', () => tf.softmax(s));
  const q4 = tf.randomNormal([8, 196, 4, 24]);
  time('split heads transpose', () => q4.transpose([0, 2, 1, 3]));
  // Local attention alternative: unfold 7x7 neighbourhoods: [B*H, 196, 49, 24]
  const kn = tf.randomNormal([32 * 196, 49, 24]); const qn = tf.randomNormal([32 * 196, 1, 24]);
  time('local qk (B*H*T, 1x24 x 24x49)', () => tf.matMul(qn as tf.Tensor3D, kn.transpose([0, 2, 1]) as tf.Tensor3D));
  time('local qk as mul+sum', () => kn.mul(qn).sum(-1));
})();
