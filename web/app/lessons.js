// lessons.js: presets that open the page in a teaching state, and what each one claims. Pure: no DOM.
//
// A lesson is
//   params          a query string read by the same table as the URL (state.js): a lesson is a named link
//   steps           its end step: the run (or the race) the lesson is about
//   stepsPerSecond  the pace at which it plays, slow enough to watch its effect
//   text            what it says, shown on the page and in the embed (so it names only the loss chart
//                   and the decision boundary or the race's contour, which both of them show)
//   moments         one to three { step, panel, text, holds }: at `step` the page pauses and points at
//                   the element with id `panel` (web/index.html) with `text`
//   claims          { says, from, to, holds }: `says` quotes the part of `text` it stands for; `holds`
//                   must be true at every recorded step from `from` (default 0) to `to` (default `steps`)
//                   (`readsPath: true` on a claim or moment of a race: it reads the optimisers' x and y,
//                   which the CLI runner and the page's test hook both record)
//
// `holds(at)` reads one recorded step `at` (see lessonView below): for a training lesson
// at.step and at.run(label) with the numbers the page shows then; for a race at.step and
// at.path(optimiser). The CLI runner (bin/cli/lesson.mjs) and the page tests both record runs and
// hand them to checkLesson, so each fact is written once, here.

const LN2 = Math.log(2), LN3 = Math.log(3), LN10 = Math.log(10);
const near = (value, target, within) => Math.abs(value - target) < within;
const hiddenLayers = (run) => run.layers.slice(0, -1);
const stds = (run) => hiddenLayers(run).map((l) => l.activationStd);
/** The values of `key` a run recorded in steps lo..hi of its history. */
const recorded = (run, key, lo, hi) => run.history[key].filter((_, i) => run.history.step[i] >= lo && run.history.step[i] <= hi);
const peak = (run, lo, hi) => Math.max(...recorded(run, 'trainLoss', lo, hi));
/** How often a list of numbers changes sign. */
const signChanges = (values) => values.filter((v, i) => i > 0 && Math.sign(v) * Math.sign(values[i - 1]) < 0).length;

export const LESSONS = [
  {
    name: 'zero-init', title: 'Zero initialisation: nothing to tell the units apart',
    params: 'mode=compare&data=circle&layers=16_tanh,16_tanh&opt=sgd&lr=0.3&runs=init:zeros~init:xavier',
    steps: 1000, stepsPerSecond: 50,
    text: 'When every weight starts at the same value, every unit in a layer computes the same output and receives the same gradient, so they stay clones forever. With zeros and tanh it is worse still: the hidden outputs are exactly zero, no gradient reaches the weights, and only the output bias moves. The zero run stays at the loss of a coin flip (ln 2 ≈ 0.69) for the whole run, while the Xavier run learns the circle within 200 steps.',
    moments: [
      { step: 100, panel: 'loss-chart', text: 'The Xavier run\'s loss is falling; the zero run\'s is a flat line at ln 2.', holds: (at) => at.run('xavier').trainLoss < 0.45 && near(at.run('zeros').trainLoss, LN2, 0.01) },
      { step: 1000, panel: 'multiples', text: 'The zero run\'s boundary is still one flat colour: every hidden unit outputs zero, so its weights are still all zero.', holds: (at) => at.run('zeros').layers.every((l) => l.nearZero === 1) },
    ],
    claims: [
      { says: 'the hidden outputs are exactly zero, no gradient reaches the weights', holds: (at) => hiddenLayers(at.run('zeros')).every((l) => l.activationStd === 0 && l.activationMean === 0 && l.gradientNorm === 0) },
      { says: 'only the output bias moves', holds: (at) => at.run('zeros').layers.every((l) => l.nearZero === 1) },
      { says: 'The zero run stays at the loss of a coin flip (ln 2 ≈ 0.69) for the whole run', holds: (at) => near(at.run('zeros').trainLoss, LN2, 0.01) },
      { says: 'the Xavier run learns the circle within 200 steps', from: 200, holds: (at) => at.run('xavier').trainLoss < 0.3 },
    ],
  },
  {
    name: 'small-init', title: 'Small initialisation: the signal fades layer by layer',
    params: 'data=spiral&layers=32_tanh,32_tanh,32_tanh,32_tanh,32_tanh&init=normal&initStd=0.01&opt=sgd&lr=0.1',
    steps: 1500, stepsPerSecond: 100,
    text: 'Each layer multiplies its input by weights of size about 0.01 times the square root of 32, so the activations shrink by roughly twenty times per layer: by the third hidden layer their spread is below a ten-thousandth. The gradients flowing back shrink the same way, and the loss sits at ln 3 ≈ 1.10 (three classes guessed evenly) for the whole run, while the same network with Xavier weights (the next lesson) learns the spiral.',
    moments: [
      { step: 0, panel: 'depth-chart', text: 'Before any training the activation std drops by more than ten times from each layer to the next.', holds: (at) => stds(at.run()).slice(1, 3).every((s, i) => s < stds(at.run())[i] / 10) },
      { step: 300, panel: 'loss-chart', text: 'Three hundred steps in, the loss has not left ln 3, and it will not in this run.', holds: (at) => near(at.run().trainLoss, LN3, 0.01) },
    ],
    claims: [
      { says: 'the activations shrink by roughly twenty times per layer', holds: (at) => stds(at.run()).slice(1, 3).every((s, i) => s < stds(at.run())[i] / 10) },
      { says: 'by the third hidden layer their spread is below a ten-thousandth', holds: (at) => stds(at.run())[2] < 1e-4 },
      { says: 'The gradients flowing back shrink the same way', from: 1, holds: (at) => at.run().layers[0].gradientNorm < at.run().layers.at(-1).gradientNorm / 100 },
      { says: 'the loss sits at ln 3 ≈ 1.10 (three classes guessed evenly) for the whole run', holds: (at) => near(at.run().trainLoss, LN3, 0.01) },
    ],
  },
  {
    name: 'large-init', title: 'Large initialisation: tanh units saturate',
    params: 'data=spiral&layers=32_tanh,32_tanh,32_tanh,32_tanh&init=normal&initStd=1&opt=sgd&lr=0.05',
    steps: 500, stepsPerSecond: 40,
    text: 'With weights of standard deviation 1 the pre-activations of a 32-unit layer spread over about plus or minus 5, far out on the flat tails of tanh. The first loss is well above ln 3 ≈ 1.10, the loss of an even guess, because the outputs are confidently wrong; more than half of the units of the last hidden layer are pinned at plus or minus one for the whole run, where the derivative is nearly zero and a unit hardly learns. The network still fits the spiral with the units it has left: its loss is below 0.5 from about step 100 on.',
    moments: [
      { step: 0, panel: 'health', text: 'The orange bars: in the last hidden layer more than half of the units are saturated before training starts.', holds: (at) => hiddenLayers(at.run()).at(-1).saturated > 0.5 },
      { step: 100, panel: 'boundary', text: 'The spiral is fitted already, by the units that are not saturated; the orange bars have not shrunk.', holds: (at) => at.run().trainLoss < 0.4 && hiddenLayers(at.run()).at(-1).saturated > 0.5 },
    ],
    claims: [
      { says: 'The first loss is well above ln 3 ≈ 1.10', holds: (at) => at.run().firstLoss > 1.7 },
      { says: 'more than half of the units of the last hidden layer are pinned at plus or minus one for the whole run', holds: (at) => hiddenLayers(at.run()).at(-1).saturated > 0.5 },
      { says: 'its loss is below 0.5 from about step 100 on', from: 100, holds: (at) => at.run().trainLoss < 0.5 },
    ],
  },
  {
    name: 'xavier', title: 'Xavier: keeping the variance steady',
    params: 'data=spiral&layers=32_tanh,32_tanh,32_tanh,32_tanh,32_tanh&init=xavier&opt=sgd&lr=0.1',
    steps: 700, stepsPerSecond: 50,
    text: 'Drawing each weight with variance 1 / fan-in keeps the variance of a layer\'s output about equal to the variance of its input for units that act linearly near zero, such as tanh. The activations keep about the same spread from the first hidden layer to the last instead of collapsing or exploding, gradients reach every layer, and the same five-layer network that stalled with small weights learns the spiral: its loss ends below 0.15, and after step 300 it goes back above 0.5 only in short jumps.',
    moments: [
      { step: 0, panel: 'depth-chart', text: 'The activation std is nearly flat over depth: no layer has less than a quarter of the largest spread.', holds: (at) => Math.min(...stds(at.run())) > Math.max(...stds(at.run())) / 4 },
      { step: 300, panel: 'boundary', text: 'The spiral\'s arms are taking shape; the loss is below 0.5.', holds: (at) => at.run().trainLoss < 0.5 },
    ],
    claims: [
      { says: 'The activations keep about the same spread from the first hidden layer to the last', holds: (at) => Math.min(...stds(at.run())) > Math.max(...stds(at.run())) / 4 },
      { says: 'gradients reach every layer', from: 1, holds: (at) => hiddenLayers(at.run()).every((l) => l.gradientNorm > 1e-3) },
      { says: 'its loss ends below 0.15', from: 700, holds: (at) => at.run().trainLoss < 0.15 },
      { says: 'after step 300 it goes back above 0.5 only in short jumps', from: 300, holds: (at) => recorded(at.run(), 'trainLoss', 300, at.step).filter((v) => v > 0.5).length <= 0.1 * recorded(at.run(), 'trainLoss', 300, at.step).length + 1 },
    ],
  },
  {
    name: 'he-relu', title: 'He initialisation for ReLU',
    params: 'mode=compare&data=spiral&layers=32_relu,32_relu,32_relu,32_relu,32_relu,32_relu,32_relu,32_relu&opt=sgd&lr=0.01&runs=init:xavier~init:he-normal',
    steps: 700, stepsPerSecond: 50,
    text: 'ReLU zeroes half of its inputs, so it passes on only about half the variance it receives; with Xavier weights the signal shrinks in every layer and after eight layers it is under a fifth of its size at the first. He initialisation doubles the variance (2 / fan-in) to make up for it, and the deep ReLU network trains much sooner: from step 100 to the end of the run its loss is below the Xavier run\'s.',
    moments: [
      { step: 200, panel: 'loss-chart', text: 'The He run\'s loss has fallen by more than 0.3; the Xavier run\'s has hardly moved from ln 3.', holds: (at) => at.run('he-normal').trainLoss < at.run('he-normal').firstLoss - 0.3 && near(at.run('xavier').trainLoss, LN3, 0.05) },
      { step: 700, panel: 'multiples', text: 'The He run has the spiral; the Xavier run has only begun to bend its boundary.', holds: (at) => at.run('he-normal').trainLoss < 0.25 && at.run('xavier').trainLoss > 0.75 },
    ],
    claims: [
      { says: 'after eight layers it is under a fifth of its size at the first', to: 0, holds: (at) => stds(at.run('xavier'))[7] < stds(at.run('xavier'))[0] / 5 },
      { says: 'from step 100 to the end of the run its loss is below the Xavier run\'s', from: 100, holds: (at) => at.run('he-normal').trainLoss < at.run('xavier').trainLoss - 0.1 },
    ],
  },
  {
    name: 'batch-norm', title: 'Batch norm rescues a bad initialisation',
    params: 'mode=compare&data=spiral&init=normal&initStd=0.01&opt=sgd&lr=0.1&runs=layers:32_tanh,32_tanh,32_tanh,32_tanh~layers:32_tanh_bn,32_tanh_bn,32_tanh_bn,32_tanh_bn',
    steps: 2500, stepsPerSecond: 100,
    text: 'Batch normalisation rescales each unit\'s pre-activations over the minibatch to mean zero and variance one before the nonlinearity, whatever the size of the weights. The same tiny initialisation that leaves the plain network stuck at ln 3 ≈ 1.10 for the whole run is harmless with batch norm: every layer again sees inputs of a useful size, the loss falls within the first 50 steps and ends below 0.2, though with minibatches of 32 it jumps up now and then on the way.',
    moments: [
      { step: 50, panel: 'loss-chart', text: 'The batch-norm run has already left ln 3; the plain run sits on it.', holds: (at) => at.runs[1].trainLoss < 0.95 && near(at.runs[0].trainLoss, LN3, 0.01) },
      { step: 2500, panel: 'multiples', text: 'Only the batch-norm run has found the spiral.', holds: (at) => at.runs[1].trainLoss < 0.2 && near(at.runs[0].trainLoss, LN3, 0.01) },
    ],
    claims: [
      { says: 'leaves the plain network stuck at ln 3 ≈ 1.10 for the whole run', holds: (at) => near(at.runs[0].trainLoss, LN3, 0.01) },
      { says: 'the loss falls within the first 50 steps', from: 50, to: 50, holds: (at) => at.runs[1].trainLoss < 0.95 },
      { says: 'ends below 0.2', from: 2500, holds: (at) => at.runs[1].trainLoss < 0.2 },
    ],
  },
  {
    name: 'saddle', title: 'SGD and momentum at a saddle point',
    params: 'mode=race&surface=saddle&racers=sgd~momentum&raceLr=0.01&raceX=-1&raceY=0.01&raceSteps=300',
    steps: 300, stepsPerSecond: 20,
    text: 'The surface x² − y² curves up along x and down along y. Both optimisers start a hair off the x axis and are first pulled towards the saddle point in the middle, where the slope vanishes. Gradient descent slows to a crawl there, because its steps shrink with the gradient, and slides off sideways only very slowly: its loss first drops below −1 at step 233. Momentum arrives with speed, carries on through past the middle, and piles up the small sideways pushes, so it leaves the saddle far sooner: its loss is below −1 at step 49.',
    moments: [
      { step: 49, panel: 'contour', text: 'Momentum has swung past the middle and is sliding off down the y direction; gradient descent is still creeping towards the saddle.', holds: (at) => at.path('momentum').loss < -1 && at.path('sgd').loss > 0.02 },
      { step: 233, panel: 'race-chart', readsPath: true, text: 'Only now does gradient descent\'s loss drop below −1, long after momentum left the plot.', holds: (at) => at.path('sgd').loss < -1 && at.path('sgd').losses.slice(0, -1).every((v) => v >= -1) && Math.abs(at.path('momentum').y) > 1.5 },
    ],
    claims: [
      { says: 'are first pulled towards the saddle point in the middle', from: 1, to: 10, readsPath: true, holds: (at) => at.paths.every((p) => Math.abs(p.x) < Math.abs(p.xs[0]) && p.loss < p.losses[0]) },
      { says: 'its loss first drops below −1 at step 233', holds: (at) => (at.path('sgd').loss < -1) === (at.step >= 233) },
      { says: 'carries on through past the middle', from: 49, readsPath: true, holds: (at) => signChanges(at.path('momentum').xs) > 0 },
      { says: 'its loss is below −1 at step 49', holds: (at) => (at.path('momentum').loss < -1) === (at.step >= 49) },
    ],
  },
  {
    name: 'ravine', title: 'SGD and momentum in a ravine',
    params: 'mode=race&surface=bowl&racers=sgd~momentum&raceLr=0.02&raceSteps=200',
    steps: 200, stepsPerSecond: 15,
    text: 'In a long, narrow valley, here the bowl x²/2 + 25y²/2, the walls are 25 times steeper than the floor. With a learning rate small enough to be safe on the walls, gradient descent drops onto the floor at once and then crawls along it, because the slope along the floor is gentle. Momentum keeps adding up those small but steady pushes along the floor and reaches the bottom far sooner: its loss first drops below 0.001 at step 61 and stays there from step 85, gradient descent\'s only at step 183; it pays with swings from wall to wall, which die away because their pushes cancel out.',
    moments: [
      { step: 20, panel: 'contour', readsPath: true, text: 'Gradient descent is already on the floor of the valley; momentum swings across it from wall to wall.', holds: (at) => Math.abs(at.path('sgd').y) < 0.05 && signChanges(at.path('momentum').ys) >= 2 },
      { step: 61, panel: 'race-chart', text: 'Momentum\'s loss is below 0.001 (the chart has a log scale); gradient descent needs until step 183.', holds: (at) => at.path('momentum').loss < 1e-3 && at.path('sgd').loss > 1e-3 },
    ],
    claims: [
      { says: 'gradient descent drops onto the floor at once', from: 20, readsPath: true, holds: (at) => Math.abs(at.path('sgd').y) < 0.05 },
      { says: 'its loss first drops below 0.001 at step 61 and stays there from step 85', holds: (at) => (at.step < 61 ? at.path('momentum').loss >= 1e-3 : true) && (at.step === 61 || at.step >= 85 ? at.path('momentum').loss < 1e-3 : true) },
      { says: 'gradient descent\'s only at step 183', holds: (at) => (at.path('sgd').loss < 1e-3) === (at.step >= 183) },
      { says: 'swings from wall to wall, which die away', from: 100, readsPath: true, holds: (at) => Math.abs(at.path('momentum').y) < 0.01 && signChanges(at.path('momentum').ys.slice(0, 40)) >= 2 },
    ],
  },
  {
    name: 'adam', title: 'Adam: a step size for every parameter',
    params: 'mode=compare&data=spiral&layers=32_relu,32_relu&opt=sgd&lr=0.01&runs=opt:sgd~opt:momentum~opt:adam',
    steps: 700, stepsPerSecond: 50,
    text: 'Adam keeps running averages of each parameter\'s gradient and of its square, and divides one by the square root of the other. Every parameter then moves by about the learning rate whatever the scale of its gradient, so with the same small learning rate of 0.01 Adam drives the training loss down far faster than plain SGD, and faster than momentum, at every step of the run.',
    moments: [
      { step: 100, panel: 'loss-chart', text: 'Adam\'s loss is already below 0.2; momentum\'s is above 0.4 and plain SGD\'s above 0.8.', holds: (at) => at.run('adam').trainLoss < 0.2 && at.run('momentum').trainLoss > 0.4 && at.run('sgd').trainLoss > 0.8 },
      { step: 700, panel: 'multiples', text: 'Adam and momentum have the spiral; plain SGD\'s boundary is still a rough sketch of it.', holds: (at) => at.run('adam').trainLoss < 0.05 && at.run('momentum').trainLoss < 0.15 && at.run('sgd').trainLoss > 0.5 },
    ],
    claims: [
      { says: 'Adam drives the training loss down far faster than plain SGD, and faster than momentum, at every step of the run', from: 1, holds: (at) => at.run('adam').trainLoss < at.run('momentum').trainLoss && at.run('momentum').trainLoss < at.run('sgd').trainLoss },
    ],
  },
  {
    name: 'lr-decay', title: 'Learning-rate decay and warm restarts',
    params: 'mode=compare&data=spiral&layers=32_relu,32_relu&opt=sgd&lr=0.5&batch=8&period=500&decaySteps=1500&runs=sched:constant~sched:cosine~sched:sgdr',
    steps: 1500, stepsPerSecond: 100,
    text: 'A large, constant learning rate makes fast early progress, but with small minibatches the loss then rattles around without settling. Shrinking the rate over time (cosine) lets the run settle into a minimum, which it ends well below the constant rate\'s. Warm restarts (SGDR) jump back to the high rate every 500 steps, which shakes the run loose before it settles again.',
    moments: [
      { step: 510, panel: 'lr-chart', text: 'SGDR\'s rate has just jumped back to 0.5 after falling to nearly zero; cosine\'s is still falling.', holds: (at) => near(at.run('sgdr').learningRate, 0.5, 0.01) && recorded(at.run('sgdr'), 'learningRate', 500, 500)[0] < 0.01 && at.run('cosine').learningRate < 0.4 },
      { step: 1500, panel: 'loss-chart', text: 'Cosine and SGDR have settled; the constant rate still rattles, above both.', holds: (at) => at.run('constant').trainLoss > at.run('cosine').trainLoss && at.run('constant').trainLoss > at.run('sgdr').trainLoss },
    ],
    claims: [
      { says: 'A large, constant learning rate makes fast early progress', from: 100, to: 100, holds: (at) => at.run('constant').trainLoss < 0.4 },
      { says: 'the loss then rattles around without settling', from: 1500, holds: (at) => peak(at.run('constant'), 1000, 1500) > 1.5 * peak(at.run('cosine'), 1000, 1500) },
      { says: 'which it ends well below the constant rate\'s', from: 1500, holds: (at) => at.run('cosine').trainLoss < 0.5 * at.run('constant').trainLoss },
      { says: 'jump back to the high rate every 500 steps', holds: (at) => at.run('constant').learningRate === 0.5 && (at.step % 500 === 0 && at.step > 0 ? at.run('sgdr').learningRate < 0.01 : true) && (at.step % 500 === 10 ? near(at.run('sgdr').learningRate, 0.5, 0.01) : true) },
      { says: 'which shakes the run loose before it settles again', from: 1500, holds: (at) => peak(at.run('sgdr'), 510, 700) > 1.5 * recorded(at.run('sgdr'), 'trainLoss', 500, 500)[0] && at.run('sgdr').trainLoss < 0.07 },
    ],
  },
  {
    name: 'l1-l2', title: 'L1 versus L2 regularisation',
    params: 'mode=compare&data=circle&layers=32_relu,32_relu&opt=sgd&lr=0.1&runs=l1:0.003~l2:0.03',
    steps: 1500, stepsPerSecond: 100,
    text: 'L2 pulls every weight towards zero in proportion to its size, so weights shrink but rarely reach zero: in this run fewer than one in ten of the second layer\'s weights ever get below 0.001. L1 pulls with the same force whatever the size, so small, unhelpful weights are pushed all the way to zero: by the end of the run more than three quarters of the L1 network\'s second-layer weights are below 0.001, a sparse network.',
    moments: [
      { step: 500, panel: 'multiples', text: 'Look at the cards\' weight histograms: L1\'s has a spike at zero, and the line under its card counts about a third of layer 2 as practically zero; L2\'s keeps a smooth bell.', holds: (at) => at.run('l1').layers[1].nearZero > 0.3 && at.run('l2').layers[1].nearZero < 0.05 },
      { step: 1500, panel: 'multiples', text: 'More than three quarters of L1\'s second layer is now practically zero, and it still fits the circle.', holds: (at) => at.run('l1').layers[1].nearZero > 0.75 && at.run('l1').trainLoss < 0.1 },
    ],
    claims: [
      { says: 'fewer than one in ten of the second layer\'s weights ever get below 0.001', holds: (at) => at.run('l2').layers[1].nearZero < 0.1 },
      { says: 'more than three quarters of the L1 network\'s second-layer weights are below 0.001', from: 1500, holds: (at) => at.run('l1').layers[1].nearZero > 0.75 },
      { says: 'small, unhelpful weights are pushed all the way to zero', from: 100, holds: (at) => at.run('l1').layers[1].nearZero > at.run('l2').layers[1].nearZero },
    ],
  },
  {
    name: 'dropout', title: 'Dropout: noisy in training, whole at test time',
    params: 'mode=compare&data=spiral&samples=200&noise=0.3&test=0.5&layers=128_relu,128_relu&opt=adam&lr=0.003&batch=16&runs=layers:128_relu,128_relu~layers:128_relu_d0.5,128_relu_d0.5',
    steps: 1500, stepsPerSecond: 80,
    text: 'During training dropout switches off a random half of the units of each hidden layer at every step, so no unit can count on a particular partner being there. At test time every unit is kept, and because training used inverted dropout (kept units count double) nothing has to be rescaled; both curves here are measured that way. On this small, noisy spiral (100 training points) the network without dropout fits its training points ever tighter while its test loss climbs to more than one and a half times its lowest; with dropout the training loss falls more slowly, the gap between train and test loss is narrower at every step, and from step 1100 on its test loss is the lower of the two.',
    moments: [
      { step: 300, panel: 'loss-chart', text: 'The plain run\'s training loss is well below the dropout run\'s, and its test loss has started to climb.', holds: (at) => at.runs[0].trainLoss < at.runs[1].trainLoss && at.runs[0].testLoss > at.runs[0].minTestLoss },
      { step: 1500, panel: 'multiples', text: 'The plain run\'s boundary curls round single noisy points; the dropout run\'s is smoother.', holds: (at) => at.runs[1].testLoss < at.runs[0].testLoss },
    ],
    claims: [
      { says: 'its test loss climbs to more than one and a half times its lowest', from: 1500, holds: (at) => at.runs[0].testLoss > 1.5 * at.runs[0].minTestLoss },
      { says: 'with dropout the training loss falls more slowly', from: 50, holds: (at) => at.runs[1].trainLoss > at.runs[0].trainLoss },
      { says: 'the gap between train and test loss is narrower at every step', from: 50, holds: (at) => at.runs[1].testLoss - at.runs[1].trainLoss < at.runs[0].testLoss - at.runs[0].trainLoss },
      { says: 'from step 1100 on its test loss is the lower of the two', from: 1100, holds: (at) => at.runs[1].testLoss < at.runs[0].testLoss },
    ],
  },
  {
    name: 'conv-bn', title: 'Spatial batch norm: one mean and variance per feature map',
    params: 'mode=compare&data=digits&layers=c8_relu,pmax,c16_relu,pmax,flat&init=normal&initStd=0.01&opt=sgd&lr=0.1&runs=layers:c8_relu,pmax,c16_relu,pmax,flat~layers:c8_relu_bn,pmax,c16_relu_bn,pmax,flat',
    steps: 700, stepsPerSecond: 25,
    text: 'A convolution layer puts out one map per filter, each with a height and a width. Batch norm for such a layer keeps one mean and one variance per map, pooled over all images of the batch and all positions in them, so a filter is rescaled the same way wherever it fires and the layers here need only 8 and 16 pairs of statistics, not one per pixel. With weights of standard deviation 0.01 the plain network\'s signal has all but vanished by the output: for 350 steps its loss stays at ln 10 ≈ 2.3, the loss of a guess among ten digits. With spatial batch norm every map is brought back to a useful size, and within 50 steps nearly every test image is labelled right. The plain network does get there in the end, once its weights have grown: its loss leaves ln 10 between steps 400 and 600, and by step 700 it labels nine test images in ten right. Batch norm made learning fast, not possible.',
    moments: [
      { step: 50, panel: 'multiples', text: 'The batch-norm run labels nearly all 30 test images right; the plain run gives every one of them the same digit.', holds: (at) => at.runs[1].testAccuracy > 0.95 && new Set(at.runs[0].predictions).size === 1 },
      { step: 350, panel: 'loss-chart', text: 'The plain run\'s loss has not left ln 10 yet.', holds: (at) => near(at.runs[0].trainLoss, LN10, 0.05) },
      { step: 700, panel: 'multiples', text: 'Its weights have grown big enough: the plain run now labels most test images right too.', holds: (at) => at.runs[0].testAccuracy > 0.9 },
    ],
    claims: [
      { says: 'the layers here need only 8 and 16 pairs of statistics', holds: (at) => at.runs[1].layers.map((l) => l.runningCount).join() === '8,0,16,0,0,0' && at.runs[0].layers.every((l) => l.runningCount === 0) },
      { says: 'the plain network\'s signal has all but vanished by the output', to: 350, holds: (at) => hiddenLayers(at.runs[0]).at(-1).activationStd < 0.05 },
      { says: 'every map is brought back to a useful size', from: 50, holds: (at) => [0, 2].every((i) => at.runs[1].layers[i].activationStd > 0.2) },
      { says: 'for 350 steps its loss stays at ln 10 ≈ 2.3', to: 350, holds: (at) => near(at.runs[0].trainLoss, LN10, 0.05) },
      { says: 'within 50 steps nearly every test image is labelled right', from: 50, holds: (at) => at.runs[1].testAccuracy > 0.95 },
      { says: 'its loss leaves ln 10 between steps 400 and 600', holds: (at) => (at.step <= 400 ? at.runs[0].trainLoss > LN10 - 0.1 : true) && (at.step >= 600 ? at.runs[0].trainLoss < LN10 - 0.1 : true) },
      { says: 'by step 700 it labels nine test images in ten right', from: 700, holds: (at) => at.runs[0].testAccuracy > 0.9 },
    ],
  },
  {
    name: 'overfitting', title: 'Overfitting a small data set',
    params: 'data=xor&samples=40&noise=0.25&test=0.5&layers=64_relu,64_relu,64_relu&opt=adam&lr=0.001&batch=0',
    steps: 600, stepsPerSecond: 30,
    text: 'Twenty training points and a network with about nine thousand weights: the training loss heads to zero as the network grows ever more certain of every training point, noisy ones included. The test loss falls for the first few dozen steps (never as many as a hundred), then turns and climbs to more than twice its lowest, although the test accuracy hardly moves: the network has become confidently wrong about the few test points that do not fit. The turn is the moment to stop, to collect more data, or to regularise.',
    moments: [
      { step: 100, panel: 'loss-chart', text: 'The test loss has passed its lowest point and is climbing, while the training loss keeps falling.', holds: (at) => at.run().testLoss > at.run().minTestLoss && at.run().trainLoss < 0.15 },
      { step: 600, panel: 'boundary', text: 'The boundary bends round single noisy training points; the rings (test points) on the wrong side are what the test loss counts.', holds: (at) => at.run().trainLoss < 0.01 && at.run().testLoss > 2 * at.run().minTestLoss },
    ],
    claims: [
      { says: 'the training loss heads to zero', from: 300, holds: (at) => at.run().trainLoss < 0.01 },
      { says: 'The test loss falls for the first few dozen steps (never as many as a hundred)', from: 100, holds: (at) => at.run().minTestLoss < at.run().firstTestLoss && at.run().testLoss > at.run().minTestLoss },
      { says: 'then turns and climbs to more than twice its lowest', from: 600, holds: (at) => at.run().testLoss > 2 * at.run().minTestLoss },
      { says: 'although the test accuracy hardly moves', from: 100, holds: (at) => Math.max(...recorded(at.run(), 'testAccuracy', 100, at.step)) - Math.min(...recorded(at.run(), 'testAccuracy', 100, at.step)) <= 0.1 },
    ],
  },
  // ----- the instruments (views/instruments.js): `instruments` says what the runs measure while training -----
  {
    name: 'loss-surface', title: 'The loss surface of this network',
    params: 'mode=compare&data=circle&layers=16_relu,16_relu&opt=sgd&lr=0.2&runs=batch:0~batch:8',
    steps: 1000, stepsPerSecond: 50,
    instruments: { sharpnessEvery: 50, landscapeEvery: 1000, directions: ['trajectory', 'random'], resolution: 21 },
    text: 'The instruments below the charts draw the training loss on a plane through each run\'s weights as they are now, the ring in the middle. Two random directions, each filter scaled to the size of the weights it moves (Li et al. 2018), show the shape of the bowl the run sits in. The same network is trained here with the whole training set in every step and with minibatches of 8. At the end, full-batch gradient descent sits at the lowest point of its random plane, and its walls are steeper: the highest loss on its plane is above the small-batch run\'s, and its sharpness λmax (the curvature along the steepest direction) is more than one and a half times the small-batch run\'s, the sharp minimum Keskar et al. (2017) found large batches settle in. The trajectory plane is spanned instead by the two directions in which the recorded weights moved most; the white line is the path from the start to the ring, and its first direction alone explains more than four fifths of the spread of the path.',
    moments: [
      { step: 500, panel: 'sharpness-chart', text: 'Halfway: the full-batch run\'s λmax is already above the small-batch run\'s.', holds: (at) => at.run('batch 0').sharpness > at.run('batch 8').sharpness },
      { step: 1000, panel: 'landscape', text: 'Both planes share one colour scale: switch the directions to random and compare how fast each run\'s loss rises away from the ring.', holds: (at) => at.run('batch 0').landscape.random.max > at.run('batch 8').landscape.random.max },
    ],
    claims: [
      { says: 'full-batch gradient descent sits at the lowest point of its random plane', from: 1000, holds: (at) => at.run('batch 0').landscape.random.center <= at.run('batch 0').landscape.random.min },
      { says: 'the highest loss on its plane is above the small-batch run\'s', from: 1000, holds: (at) => at.run('batch 0').landscape.random.max > at.run('batch 8').landscape.random.max },
      { says: 'its sharpness λmax (the curvature along the steepest direction) is more than one and a half times the small-batch run\'s', from: 1000, holds: (at) => at.run('batch 0').sharpness > 1.5 * at.run('batch 8').sharpness },
      { says: 'its first direction alone explains more than four fifths of the spread of the path', from: 1000, holds: (at) => at.runs.every((r) => r.landscape.trajectory.explained[0] > 0.8) },
    ],
  },
  {
    name: 'edge-of-stability', title: 'Sharpness and the largest stable learning rate',
    params: 'mode=compare&data=sine&layers=32_tanh,32_tanh&opt=sgd&batch=0&runs=lr:0.02~lr:0.05',
    steps: 2000, stepsPerSecond: 100,
    instruments: { sharpnessEvery: 10 },
    text: 'On a quadratic bowl whose curvature is λ, gradient descent at rate η converges only while λ is below 2/η; past it every step overshoots further. The sharpness chart draws λmax, the largest curvature of the training loss, beside 2/η for two runs of the same network fitting a sine curve with full-batch gradient descent. At rate 0.02 (2/η = 100) λmax climbs for the whole run, yet stays far below its line: it never passes 60. At rate 0.05 (2/η = 40) λmax is on the line by step 500 and then hovers on it, never more than 15% above or below, for the rest of the run: the edge of stability Cohen et al. (2021) describe. There the loss still falls overall, but now and then it jumps up for a few steps, something a quadratic bowl would not allow.',
    moments: [
      { step: 500, panel: 'sharpness-chart', text: 'The 0.05 run\'s λmax has reached its dashed 2/η line at 40; the 0.02 run\'s is still climbing, far below its line at 100.', holds: (at) => Math.abs(at.run('0.05').sharpness - 40) < 6 && at.run('0.02').sharpness < 60 },
      { step: 2000, panel: 'sharpness-chart', text: 'Fifteen hundred steps later the 0.05 run is still on its line.', holds: (at) => Math.abs(at.run('0.05').sharpness - 40) < 6 },
    ],
    claims: [
      { says: 'At rate 0.02 (2/η = 100) λmax climbs for the whole run', from: 2000, holds: (at) => at.run('0.02').sharpness > at.run('0.02').sharpnessHistory.lambdaMax.find((v, i) => at.run('0.02').sharpnessHistory.step[i] === 500) },
      { says: 'it never passes 60', holds: (at) => at.run('0.02').sharpness < 60 },
      { says: 'λmax is on the line by step 500', from: 500, to: 500, holds: (at) => at.run('0.05').sharpnessHistory.lambdaMax.some((v) => v >= 40 * 0.95) },
      { says: 'never more than 15% above or below', from: 500, holds: (at) => Math.abs(at.run('0.05').sharpness - 40) < 6 },
      { says: 'the loss still falls overall', from: 2000, holds: (at) => at.run('0.05').trainLoss < recorded(at.run('0.05'), 'trainLoss', 500, 500)[0] },
      { says: 'now and then it jumps up for a few steps', from: 2000, holds: (at) => recorded(at.run('0.05'), 'trainLoss', 500, 2000).some((v, i, all) => i > 0 && v > 1.5 * all[i - 1]) },
    ],
  },
  {
    name: 'bn-high-rate', title: 'Batch norm allows higher learning rates',
    params: 'mode=compare&data=spiral&init=xavier&opt=sgd&lr=2&runs=layers:32_tanh,32_tanh,32_tanh,32_tanh~layers:32_tanh_bn,32_tanh_bn,32_tanh_bn,32_tanh_bn',
    steps: 1000, stepsPerSecond: 50,
    instruments: { sharpnessEvery: 10 },
    text: 'The same four-layer tanh network, with and without batch norm, both at the learning rate 2. Without batch norm the first steps are far too long: within 50 steps the loss leaps from about 1 to more than 5 and it stays above ln 3 ≈ 1.10, the loss of an even guess, for the rest of the run. Its units are pinned at plus or minus one, confidently wrong, where the loss is flat, so at more than half of the measurements from step 100 on its λmax is almost zero (below 0.1). With batch norm every layer\'s input is rescaled at each step, whatever the weights have grown to, and the same rate trains: from step 200 on its loss is below 0.5 at most steps, and from step 500 on its λmax is below 2/η = 1 at nine measurements in ten or more.',
    moments: [
      { step: 50, panel: 'loss-chart', text: 'The plain run\'s loss has leapt far above where it started; the batch-norm run\'s is falling.', holds: (at) => at.runs[0].trainLoss > 5 && at.runs[1].trainLoss < at.runs[1].firstLoss },
      { step: 1000, panel: 'sharpness-chart', text: 'λmax of the plain run lies near zero with a few flares; the batch-norm run\'s stays under its dashed 2/η line.', holds: (at) => Math.abs(at.runs[0].sharpness) < 0.5 && at.runs[1].sharpness < at.runs[1].twoOverEta },
    ],
    claims: [
      { says: 'within 50 steps the loss leaps from about 1 to more than 5', from: 50, to: 50, holds: (at) => at.runs[0].firstLoss < 1.7 && Math.max(...recorded(at.runs[0], 'trainLoss', 0, 50)) > 5 },
      { says: 'it stays above ln 3 ≈ 1.10, the loss of an even guess, for the rest of the run', from: 50, holds: (at) => at.runs[0].trainLoss > LN3 },
      { says: 'at more than half of the measurements from step 100 on its λmax is almost zero (below 0.1)', from: 1000, holds: (at) => { const h = at.runs[0].sharpnessHistory, late = h.lambdaMax.filter((_, i) => h.step[i] >= 100); return late.filter((v) => Math.abs(v) < 0.1).length > 0.5 * late.length; } },
      { says: 'from step 200 on its loss is below 0.5 at most steps', from: 1000, holds: (at) => recorded(at.runs[1], 'trainLoss', 200, 1000).filter((v) => v < 0.5).length >= 0.8 * recorded(at.runs[1], 'trainLoss', 200, 1000).length },
      { says: 'from step 500 on its λmax is below 2/η = 1 at nine measurements in ten or more', from: 1000, holds: (at) => { const h = at.runs[1].sharpnessHistory, late = h.lambdaMax.filter((_, i) => h.step[i] >= 500); return late.filter((v, i) => v < h.twoOverEta[h.step.indexOf(500) + i]).length >= 0.9 * late.length; } },
    ],
  },
  {
    name: 'lr-range-test', title: 'Finding a learning rate',
    params: 'data=spiral&layers=32_relu,32_relu&opt=sgd&lr=0.02',
    steps: 1000, stepsPerSecond: 100,
    instruments: { lrFind: true },
    text: 'The learning-rate range test (Smith 2017, the form fastai\'s lr_find made popular) trains from the current weights for 100 steps while the rate grows from 0.0001 to 10 by the same factor at every step, keeps a smoothed loss, and then puts the weights back. Its curve is flat at the small rates: up to 0.001 the smoothed loss stays within 10% of where it started. It falls at the middle rates and reaches its lowest point at a rate between 1 and 3; past it the loss turns up again. Of the two suggestions marked on the curve, the rate of the lowest loss divided by ten lands between 0.1 and 0.4; the steepest point is less steady, since the noise of the minibatches puts small dips into the curve. This run trains at 0.02, a cautious guess ten times below the first suggestion, and after 1000 steps its loss is still above 0.25. The buttons under the curve restart it at a suggested rate, or with a cyclic schedule between the suggestions.',
    moments: [
      { step: 0, panel: 'lrfind-chart', text: 'The range test ran before the first step: flat, then falling, then turning up. Play on to see how the cautious rate does.', holds: (at) => at.run().rangeTest !== null },
      { step: 1000, panel: 'loss-chart', text: 'Still above 0.25: now try a suggestion with the buttons under the range test.', holds: (at) => at.run().trainLoss > 0.25 },
    ],
    claims: [
      { says: 'up to 0.001 the smoothed loss stays within 10% of where it started', holds: (at) => { const t = at.run().rangeTest; return t.smoothed.every((v, i) => t.learningRates[i] > 1e-3 || Math.abs(v - t.smoothed[0]) < 0.1 * t.smoothed[0]); } },
      { says: 'reaches its lowest point at a rate between 1 and 3', holds: (at) => { const t = at.run().rangeTest, lowest = t.smoothed.indexOf(Math.min(...t.smoothed)); return t.learningRates[lowest] > 1 && t.learningRates[lowest] < 3; } },
      { says: 'past it the loss turns up again', holds: (at) => { const t = at.run().rangeTest, lowest = t.smoothed.indexOf(Math.min(...t.smoothed)); return Math.max(...t.smoothed.slice(lowest)) > 1.05 * t.smoothed[lowest]; } },
      { says: 'the rate of the lowest loss divided by ten lands between 0.1 and 0.4', holds: (at) => { const m = at.run().rangeTest.suggestions.minimumDividedBy10; return m > 0.1 && m < 0.4; } },
      { says: 'after 1000 steps its loss is still above 0.25', from: 1000, holds: (at) => at.run().trainLoss > 0.25 },
    ],
  },
];

/** The lesson called `name`, or undefined. */
export const lessonNamed = (name) => LESSONS.find((l) => l.name === name);

/**
 * What a lesson's claims read of one layer, from its report (web/lib/snapshot.js layerReports), on the
 * page (main.js) and in the CLI (gradlab lesson) alike: { activationMean, activationStd, saturated, dead,
 * gradientNorm, updateRatio, nearZero, runningCount } (runningCount: batch norm's units, else 0).
 */
export const lessonLayer = (l) => ({
  activationMean: l.activations.mean, activationStd: l.activations.std, saturated: l.saturated, dead: l.dead,
  gradientNorm: l.gradientNorm, updateRatio: l.updateRatio, nearZero: l.nearZero, runningCount: l.running?.means.length ?? 0,
});

/**
 * One recorded step of a lesson, as `holds` reads it. `runs` (training lessons) are
 *   { label, trainLoss, testLoss, trainAccuracy, testAccuracy, learningRate, firstLoss, firstTestLoss,
 *     minTestLoss, layers: [lessonLayer(report) of each layer], predictions (image data: the label of each test image shown, else null),
 *     history: { step, trainLoss, testLoss, testAccuracy, learningRate } (columns up to this step) };
 * `paths` (races) are { name, loss, x, y, losses, xs, ys }, the last three from step 0 to this one.
 * at.run(text) is the run whose label contains text (the only run when text is missing); at.path(name)
 * the optimiser of that name.
 */
export function lessonView(step, { runs = [], paths = [] }) {
  return {
    step, runs, paths,
    run(text) {
      const found = text === undefined ? runs[0] : runs.find((r) => r.label.includes(text));
      if (!found) throw new Error(`no run labelled '${text}' in [${runs.map((r) => r.label).join(', ')}]`);
      return found;
    },
    path(name) {
      const found = paths.find((p) => p.name === name);
      if (!found) throw new Error(`no optimiser '${name}' in the race`);
      return found;
    },
  };
}

/**
 * Checks a lesson's claims and moments against recorded steps (lessonView objects, any order).
 * Returns one line per failure: the sentence, the step and the run's numbers there. A claim with
 * no recorded step in its range, or a moment whose step was not recorded, is a failure too.
 */
export function checkLesson(lesson, views) {
  const failures = [];
  const sorted = [...views].sort((a, b) => a.step - b.step);
  const numbers = (at) => (at.runs.length
    ? at.runs.map((r) => `${r.label}: train ${r.trainLoss?.toFixed(4)}, test ${r.testLoss?.toFixed(4)}`).join('; ')
    : at.paths.map((p) => `${p.name}: loss ${p.loss.toExponential(3)} at (${p.x.toFixed(3)}, ${p.y.toFixed(3)})`).join('; '));
  const attempt = (what, at, fn) => {
    let ok;
    try { ok = fn(at); } catch (e) { ok = false; failures.push(`${what} at step ${at.step}: ${e.message}`); return; }
    if (ok !== true) failures.push(`${what} at step ${at.step} (${numbers(at)})`);
  };
  for (const claim of lesson.claims) {
    const from = claim.from ?? 0, to = claim.to ?? lesson.steps;
    const inRange = sorted.filter((at) => at.step >= from && at.step <= to);
    if (!inRange.length) failures.push(`'${claim.says}': no recorded step from ${from} to ${to}`);
    for (const at of inRange) attempt(`'${claim.says}'`, at, claim.holds);
  }
  for (const moment of lesson.moments) {
    const at = sorted.find((v) => v.step === moment.step);
    if (!at) failures.push(`moment at step ${moment.step}: the step was not recorded`);
    else attempt(`moment '${moment.text}'`, at, moment.holds);
  }
  return failures;
}

/**
 * What a lesson's claims read of a run's instruments at recorded step `step`, from its readings
 * (instrument-readings.js on the page, the CLI runner's the same shape; a landscape per directions may
 * be one reading or a list of them):
 *   sharpness          λmax measured at this step (null when none was)     twoOverEta  2/η then
 *   sharpnessHistory   { step, lambdaMax, twoOverEta } measured up to this step
 *   landscape          { random, trajectory }: the landscape measured at this step, each with
 *                      { center, min, max, values, explained } (null when none was)
 *   rangeTest          the range test measured up to this step ({ learningRates, smoothed, losses, suggestions, stoppedEarly }) or null
 * A lesson's `instruments` (watch settings: sharpnessEvery, landscapeEvery, directions, resolution,
 * lrFind) say what its runs measure, on the page (worker-instruments.js) and in the CLI runner alike.
 */
export function instrumentView(readings, step) {
  if (!readings) return { sharpness: null, twoOverEta: null, sharpnessHistory: { step: [], lambdaMax: [], twoOverEta: [] }, landscape: { random: null, trajectory: null }, rangeTest: null };
  const s = readings.sharpness, upto = s.step.filter((x) => x <= step).length, at = s.step.indexOf(step);
  const plane = (list) => {
    const found = [].concat(list ?? []).find((l) => l && l.step === step);
    if (!found) return null;
    const values = Array.from(found.values), finite = values.filter(Number.isFinite);
    return { center: found.center?.loss ?? found.center, min: Math.min(...finite), max: Math.max(...finite), values, explained: found.explained };
  };
  const test = readings.rangeTest && readings.rangeTest.step <= step ? readings.rangeTest : null;
  return {
    sharpness: at >= 0 ? s.lambdaMax[at] : null,
    twoOverEta: at >= 0 ? s.twoOverEta[at] : null,
    sharpnessHistory: { step: s.step.slice(0, upto), lambdaMax: s.lambdaMax.slice(0, upto), twoOverEta: s.twoOverEta.slice(0, upto) },
    landscape: { random: plane(readings.landscape?.random), trajectory: plane(readings.landscape?.trajectory) },
    rangeTest: test,
  };
}
