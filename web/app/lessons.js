// lessons.js: presets that open the page in a teaching state. `params` is a query string read by the
// same table as the URL (state.js), so a lesson is just a named link. Pure data.

export const LESSONS = [
  {
    name: 'zero-init', title: 'Zero initialisation: nothing to tell the units apart',
    params: 'mode=compare&data=circle&layers=16_tanh,16_tanh&opt=sgd&lr=0.3&runs=init:zeros~init:xavier',
    text: 'When every weight starts at the same value, every unit in a layer computes the same output and receives the same gradient, so they stay clones forever. With zeros and tanh it is worse still: the hidden outputs are exactly zero, no gradient reaches the weights, and only the output bias moves. The zero run stays at the loss of a coin flip (ln 2) while the Xavier run learns the circle.',
  },
  {
    name: 'small-init', title: 'Small initialisation: the signal fades layer by layer',
    params: 'data=spiral&layers=32_tanh,32_tanh,32_tanh,32_tanh,32_tanh&init=normal&initStd=0.01&opt=sgd&lr=0.1',
    text: 'Each layer multiplies its input by weights of size about 0.01 times the square root of 32, so the activations shrink by roughly twenty times per layer. Look at the activation std over depth: by the last hidden layer almost nothing is left, the gradients flowing back shrink the same way, and the loss sits at ln 3 (three classes guessed evenly) for a long time.',
  },
  {
    name: 'large-init', title: 'Large initialisation: tanh units saturate',
    params: 'data=spiral&layers=32_tanh,32_tanh,32_tanh,32_tanh&init=normal&initStd=1&opt=sgd&lr=0.05',
    text: 'With weights of standard deviation 1 the pre-activations of a 32-unit layer spread over about plus or minus 5, far out on the flat tails of tanh. The first loss is huge because the outputs are confidently wrong, and the saturation bars show more than half of the units of the deeper layers pinned at plus or minus one, where the derivative is nearly zero and a unit hardly learns. The network still fits the spiral with the units it has left, but its boundary is cut by sharp streaks.',
  },
  {
    name: 'xavier', title: 'Xavier: keeping the variance steady',
    params: 'data=spiral&layers=32_tanh,32_tanh,32_tanh,32_tanh,32_tanh&init=xavier&opt=sgd&lr=0.1',
    text: 'Drawing each weight with variance 1 / fan-in keeps the variance of a layer\'s output about equal to the variance of its input for units that act linearly near zero, such as tanh. The activation std over depth stays nearly flat instead of collapsing or exploding, gradients reach every layer, and the same five-layer network that stalled with small weights now learns the spiral.',
  },
  {
    name: 'he-relu', title: 'He initialisation for ReLU',
    params: 'mode=compare&data=spiral&layers=32_relu,32_relu,32_relu,32_relu,32_relu,32_relu,32_relu,32_relu&opt=sgd&lr=0.01&runs=init:xavier~init:he-normal',
    text: 'ReLU zeroes half of its inputs, so it passes on only about half the variance it receives; with Xavier weights the signal halves in every layer and an eight-layer network starts almost silent. He initialisation doubles the variance (2 / fan-in) to make up for it, and the deep ReLU network trains much sooner.',
  },
  {
    name: 'batch-norm', title: 'Batch norm rescues a bad initialisation',
    params: 'mode=compare&data=spiral&init=normal&initStd=0.01&opt=sgd&lr=0.1&runs=layers:32_tanh,32_tanh,32_tanh,32_tanh~layers:32_tanh_bn,32_tanh_bn,32_tanh_bn,32_tanh_bn',
    text: 'Batch normalisation rescales each unit\'s pre-activations over the minibatch to mean zero and variance one before the nonlinearity, whatever the size of the weights. The same tiny initialisation that leaves the plain network stuck at ln 3 is harmless with batch norm: every layer again sees inputs of a useful size, and the loss falls at once.',
  },
  {
    name: 'saddle', title: 'SGD and momentum at a saddle point',
    params: 'mode=race&surface=saddle&racers=sgd~momentum&raceLr=0.01&raceX=-1&raceY=0.01&raceSteps=200',
    text: 'The surface x² − y² curves up along x and down along y. Both optimisers start a hair off the x axis and are first pulled towards the saddle point in the middle, where the slope vanishes. Gradient descent slows to a crawl there, because its steps shrink with the gradient, and slides off sideways only very slowly. Momentum arrives with speed, carries on through, and piles up the small sideways pushes, so it leaves the saddle far sooner.',
  },
  {
    name: 'ravine', title: 'SGD and momentum in a ravine',
    params: 'mode=race&surface=bowl&racers=sgd~momentum&raceLr=0.02&raceSteps=200',
    text: 'In a long, narrow valley, here the bowl x²/2 + 25y²/2, the walls are 25 times steeper than the floor. With a learning rate small enough to be safe on the walls, gradient descent drops onto the floor at once and then crawls along it, because the slope along the floor is gentle. Momentum keeps adding up those small but steady pushes along the floor and reaches the bottom far sooner; it pays with swings from wall to wall, which die away because their pushes cancel out.',
  },
  {
    name: 'adam', title: 'Adam: a step size for every parameter',
    params: 'mode=compare&data=spiral&layers=32_relu,32_relu&opt=sgd&lr=0.01&runs=opt:sgd~opt:momentum~opt:adam',
    text: 'Adam keeps running averages of each parameter\'s gradient and of its square, and divides one by the square root of the other. Every parameter then moves by about the learning rate whatever the scale of its gradient, so with the same small learning rate of 0.01 Adam drives the training loss down far faster than plain SGD, and faster than momentum. Watch the test loss too: it fits so quickly that it starts to overfit.',
  },
  {
    name: 'lr-decay', title: 'Learning-rate decay and warm restarts',
    params: 'mode=compare&data=spiral&layers=32_relu,32_relu&opt=sgd&lr=0.5&batch=8&speed=10&period=500&decaySteps=1500&runs=sched:constant~sched:cosine~sched:sgdr',
    text: 'A large, constant learning rate makes fast early progress, but with small minibatches the loss then rattles around without settling. Shrinking the rate over time (cosine) lets the run settle into a minimum; warm restarts (SGDR) jump back to the high rate every period, which shakes the run loose before it settles again. Watch the learning-rate strip under the loss.',
  },
  {
    name: 'l1-l2', title: 'L1 versus L2 regularisation',
    params: 'mode=compare&data=circle&layers=32_relu,32_relu&opt=sgd&lr=0.1&runs=l1:0.003~l2:0.03',
    text: 'L2 pulls every weight towards zero in proportion to its size, so weights shrink but rarely reach zero. L1 pulls with the same force whatever the size, so small, unhelpful weights are pushed all the way to zero: the L1 run\'s weight histograms grow a narrow spike at zero and the line under its card counts well over half of the second layer\'s weights as practically zero, a sparse network, while the L2 run keeps a smooth bell with almost no exact zeros.',
  },
  {
    name: 'dropout', title: 'Dropout: noisy in training, whole at test time',
    params: 'mode=compare&data=spiral&samples=120&noise=0.2&layers=64_relu,64_relu&opt=adam&lr=0.01&batch=16&runs=layers:64_relu,64_relu~layers:64_relu_d0.5,64_relu_d0.5',
    text: 'During training dropout switches off a random half of the units of each hidden layer at every step, so no unit can count on a particular partner being there. At test time every unit is kept, and because training used inverted dropout (kept units count double) nothing has to be rescaled; both curves here are measured that way. On this small, noisy spiral the network without dropout fits its training points ever tighter while its test loss climbs; with dropout the training loss falls more slowly and the test loss stays lower, so the gap between the curves is narrower.',
  },
  {
    name: 'conv-bn', title: 'Spatial batch norm: one mean and variance per feature map',
    params: 'mode=compare&data=digits&layers=c8_relu,pmax,c16_relu,pmax,flat&init=normal&initStd=0.01&opt=sgd&lr=0.1&runs=layers:c8_relu,pmax,c16_relu,pmax,flat~layers:c8_relu_bn,pmax,c16_relu_bn,pmax,flat',
    text: 'A convolution layer puts out one map per filter, each with a height and a width. Batch norm for such a layer keeps one mean and one variance per map, pooled over all images of the batch and all positions in them, so a filter is rescaled the same way wherever it fires and the layers here need only 8 and 16 pairs of statistics, not one per pixel. With weights of standard deviation 0.01 the plain network\'s signal has all but vanished by the output: it names the same digit for every test image and its loss stays at ln 10 ≈ 2.3. With spatial batch norm every map is brought back to a useful size, and within a hundred steps nearly every test image is labelled right.',
  },
  {
    name: 'overfitting', title: 'Overfitting a small data set',
    params: 'data=xor&samples=40&noise=0.25&test=0.5&layers=64_relu,64_relu,64_relu&opt=adam&lr=0.001&batch=0',
    text: 'Twenty training points and a network with about nine thousand weights: the training loss heads to zero as the network grows ever more certain of every training point, noisy ones included. The test loss falls for the first hundred steps, then turns and climbs, although the test accuracy hardly moves: the network has become confidently wrong about the few test points that do not fit. The turn is the moment to stop, to collect more data, or to regularise.',
  },
];
