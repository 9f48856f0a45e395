// networks.mjs: the five benchmark networks of issue 5 and the toy data they train on.

/** name, inputs, hidden layers, their activation, classes (softmax outputs), batch size */
export const NETWORKS = [
  { name: 's8', inputs: 2, hidden: [8, 8], activation: 'tanh', classes: 2, batch: 32 },
  { name: 's32', inputs: 2, hidden: [32, 32], activation: 'relu', classes: 2, batch: 64 },
  { name: 's64', inputs: 2, hidden: [64, 64, 64], activation: 'tanh', classes: 3, batch: 128 },
  { name: 'm256', inputs: 64, hidden: [256, 256], activation: 'relu', classes: 10, batch: 128 },
  { name: 'd500', inputs: 500, hidden: Array(10).fill(500), activation: 'tanh', classes: 10, batch: 128 },
];

/** Parameters of a network: weights and biases of every layer. */
export function parameterCount(net) {
  let p = 0, fanIn = net.inputs;
  for (const units of [...net.hidden, net.classes]) { p += fanIn * units + units; fanIn = units; }
  return p;
}

/**
 * Toy classification rows of the network's width: row i has class i mod classes, inputs uniform
 * in [-1, 1) from a fixed LCG, plus 1 on the inputs whose index is the class mod inputs. The same
 * generator is written in bench/native.c, so every engine trains on the same numbers.
 */
export function toyData(net, rows) {
  const x = new Float32Array(rows * net.inputs), y = new Int32Array(rows);
  let s = 12345;
  for (let i = 0; i < rows; ++i) {
    y[i] = i % net.classes;
    for (let d = 0; d < net.inputs; ++d) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      x[i * net.inputs + d] = (s >>> 8) / 8388608 - 1 + (d % net.classes === y[i] ? 1 : 0);
    }
  }
  return { x, y, rows };
}
