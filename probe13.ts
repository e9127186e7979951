import { initTfjs, tf } from './src/main/engine/tfjsRuntime';
(async () => {
  await initTfjs();
  const time = (name: string, f: () => tf.Tensor) => { tf.tidy(() => f().dataSync()); const t0 = performance.now(); for (let i = 0; i < 5; i++) tf.tidy(() => f().dataSync()); console.log(name, ((performance.now() - t0) / 5).toFixed(1), 'ms'); };
  const a = tf.randomNormal([1568, 256]), b = tf.randomNormal([256, 1024]);
  time('dense 1568x256x1024', () => tf.matMul(a, b));
  const q = tf.randomNormal([32, 196, 32]), k = tf.randomNormal([32, 32, 196]);
  time('batched 32x196x32x196', () => tf.matMul(q as tf.Tensor3D, k as tf.Tensor3D));
  const q2 = tf.randomNormal([32, 196, 24]), k2 = tf.randomNormal([32, 24, 196]);
  time('batched 32x196x24x196', () => tf.matMul(q2 as tf.Tensor3D, k2 as tf.Tensor3D));
  const s = tf.randomNormal([32, 196, 196]);
  time('softmax 32x196x196', () => tf.softmax(s));
  time('exp 32x196x196', () => tf.exp(s));
})();
