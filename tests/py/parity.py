#!/usr/bin/python3
"""Replays gradlab runs in PyTorch (float64) for tests/js/pytorch-parity.test.mjs.

    /usr/bin/python3 tests/py/parity.py cases.json

cases.json holds {"cases": [...]}; each case is one of
  {"kind": "train", ...}     a run recorded by web/lib/replay.js (recordRun): network, optimizer, data,
                             initial parameters, batch rows and dropout masks. The replay builds the same
                             model from torch.nn layers, trains it on the same rows with the same masks and
                             prints its per-step losses, final parameters (in gradlab's layout) and the
                             evaluation-mode losses.
  {"kind": "schedule", ...}  the learning rates of torch.optim.lr_scheduler's class for a gradlab schedule.
  {"kind": "init", ...}      a sample of torch.nn.init for a gradlab initialisation, compared with gradlab's
                             sample by a two-sample Kolmogorov-Smirnov statistic.
Prints {"results": [...]} (one entry per case, same order) as JSON. The test does every comparison;
this script only computes PyTorch's side.
"""
import base64
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

torch.set_default_dtype(torch.float64)
sched = torch.optim.lr_scheduler


# ---- schedules: torch's classes, one per gradlab schedule; warm-up is LinearLR's factor on top ----

def base_scheduler(opt, o, steps):
    s = o['schedule']
    name = s['name']
    if name == 'constant':
        return None
    if name == 'step':
        return sched.StepLR(opt, step_size=int(s['stepSize']), gamma=s['gamma'])
    if name == 'exponential':
        return sched.ExponentialLR(opt, gamma=s['gamma'])
    if name == 'inverse-time':  # torch has no class for lr / (1 + decay t): its LambdaLR with that factor
        return sched.LambdaLR(opt, lambda t: 1.0 / (1.0 + s['decay'] * t))
    if name == 'cosine':
        return sched.CosineAnnealingLR(opt, T_max=int(s['steps']), eta_min=s['minLearningRate'])
    if name == 'sgdr':
        return sched.CosineAnnealingWarmRestarts(opt, T_0=int(s['period']), T_mult=int(s['periodMultiplier']),
                                                 eta_min=s['minLearningRate'])
    if name == 'cyclic':
        return sched.CyclicLR(opt, base_lr=o['learningRate'], max_lr=s['maxLearningRate'],
                              step_size_up=s['stepSize'], mode=s['mode'], gamma=s['gamma'], cycle_momentum=False)
    raise ValueError(name)


def curve(make, lr, steps):
    """The learning rate at steps 0..steps-1 of the scheduler that make(optimizer) builds."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    s = make(opt)
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]['lr'])
        if s is not None:
            opt.step()
            s.step()
    return rates


def torch_rates(o, steps):
    lr = o['learningRate']
    rates = curve(lambda opt: base_scheduler(opt, o, steps), lr, steps)
    w = o['schedule']['warmup']
    if w > 1:
        warm = curve(lambda opt: sched.LinearLR(opt, start_factor=1.0 / w, end_factor=1.0, total_iters=int(w) - 1), 1.0, steps)
        rates = [r * f for r, f in zip(rates, warm)]
    return rates


# ---- the model: torch.nn layers for gradlab's, channel-last rows turned into NCHW where needed ----

ACTIVATIONS = {
    'linear': lambda x, L: x, 'relu': lambda x, L: F.relu(x), 'tanh': lambda x, L: torch.tanh(x),
    'sigmoid': lambda x, L: torch.sigmoid(x), 'leaky-relu': lambda x, L: F.leaky_relu(x, L['slope']),
    'softmax': lambda x, L: F.softmax(x, dim=1),
}


def to_image(x, shape):
    h, w, c = shape
    return x.reshape(-1, h, w, c).permute(0, 3, 1, 2)


def to_rows(x):
    return x.permute(0, 2, 3, 1).flatten(1)


class Replayed(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.parts = nn.ModuleList()
        for L in net['layers']:
            m = nn.ModuleDict()
            h, w, c = L['input']
            if L['type'] == 'dense':
                m['core'] = nn.Linear(h * w * c, L['units'], bias=L['bias'])
            elif L['type'] == 'conv':
                t, b, l, r = L['pad']
                m['pad'] = nn.ZeroPad2d((l, r, t, b))
                m['core'] = nn.Conv2d(c, L['units'], L['kernel'], stride=L['stride'], bias=L['bias'])
            elif L['type'] == 'pool':
                m['core'] = nn.MaxPool2d(2) if L['mode'] == 'max' else nn.AvgPool2d(2)
            bn = L['batchNorm']
            if bn:
                channels = L['output'][2]
                kind = nn.BatchNorm2d if L['type'] == 'conv' else nn.BatchNorm1d
                m['bn'] = kind(channels, eps=bn['epsilon'], momentum=bn['momentum'])
            self.parts.append(m)

    def forward(self, x, masks=None):
        """masks: per layer index, the (rows, units) 0/1 mask of this step (training mode only)."""
        image = False
        layers = self.net['layers']
        for i, (L, m) in enumerate(zip(layers, self.parts)):
            last = i == len(layers) - 1
            if L['type'] in ('conv', 'pool') and not image:
                x, image = to_image(x, L['input']), True
            if L['type'] in ('dense', 'flatten') and image:
                x, image = to_rows(x), False
            if 'pad' in m:
                x = m['pad'](x)
            if 'core' in m:
                x = m['core'](x)
            bn = L['batchNorm']
            if bn and not bn['after']:
                x = m['bn'](x)
            if not (last and self.net['loss'] != 'mse'):  # cross-entropy and binary cross-entropy take logits
                x = ACTIVATIONS[L['activation']](x, L)
            if bn and bn['after']:
                x = m['bn'](x)
            p = L['dropout']
            if p > 0:
                if self.training:
                    mask = masks[i]
                    if image:
                        mask = to_image(mask, L['output'])
                    x = x * mask * (1.0 / (1.0 - p) if self.net['dropoutMode'] == 'inverted' else 1.0)
                elif self.net['dropoutMode'] == 'classic':
                    x = x * (1.0 - p)
        return x


def targets(y, data, k):
    if data['classes']:
        return y.to(torch.float64).unsqueeze(1) if k == 1 else F.one_hot(y, k).to(torch.float64)
    return y


def data_loss(loss, out, y, data):
    k = out.shape[1]
    if loss == 'cross-entropy':
        return F.cross_entropy(out, y)
    if loss == 'binary-cross-entropy':  # gradlab sums over the outputs and averages over the rows
        return F.binary_cross_entropy_with_logits(out, targets(y, data, k), reduction='sum') / out.shape[0]
    return F.mse_loss(out, targets(y, data, k))


def load(model, net, initial):
    with torch.no_grad():
        for L, m, p in zip(net['layers'], model.parts, initial):
            if L['type'] == 'dense':
                m['core'].weight.copy_(torch.tensor(p['weights']).reshape(L['input'][0] * L['input'][1] * L['input'][2], L['units']).T)
            if L['type'] == 'conv':
                k, c = L['kernel'], L['input'][2]
                m['core'].weight.copy_(torch.tensor(p['weights']).reshape(k, k, c, L['units']).permute(3, 2, 0, 1))
            if 'biases' in p:
                m['core'].bias.copy_(torch.tensor(p['biases']))
            if 'bn' in m:
                m['bn'].weight.copy_(torch.tensor(p['gamma']))
                m['bn'].bias.copy_(torch.tensor(p['beta']))
                m['bn'].running_mean.copy_(torch.tensor(p['runningMean']))
                m['bn'].running_var.copy_(torch.tensor(p['runningVar']))


def read(model, net):
    """The parameters in gradlab's layout (see load), as lists."""
    out = []
    for L, m in zip(net['layers'], model.parts):
        p = {}
        if L['type'] == 'dense':
            p['weights'] = m['core'].weight.T.flatten()
        if L['type'] == 'conv':
            p['weights'] = m['core'].weight.permute(2, 3, 1, 0).flatten()
        if L['type'] in ('dense', 'conv') and L['bias']:
            p['biases'] = m['core'].bias
        if 'bn' in m:
            p.update(gamma=m['bn'].weight, beta=m['bn'].bias, runningMean=m['bn'].running_mean, runningVar=m['bn'].running_var)
        out.append({key: v.detach().tolist() for key, v in p.items()})
    return out


def optimizer(o, params):
    lr, wd = o['learningRate'], o['weightDecay']
    name = o['name']
    if name == 'sgd':
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if name in ('momentum', 'nesterov'):
        return torch.optim.SGD(params, lr=lr, momentum=o['momentum'], nesterov=name == 'nesterov', weight_decay=wd)
    if name == 'adagrad':
        return torch.optim.Adagrad(params, lr=lr, eps=o['epsilon'], weight_decay=wd)
    if name == 'rmsprop':
        return torch.optim.RMSprop(params, lr=lr, alpha=o['alpha'], eps=o['epsilon'], weight_decay=wd,
                                   momentum=o['momentum'], centered=o['centered'])
    kind = torch.optim.AdamW if name == 'adamw' else torch.optim.Adam
    return kind(params, lr=lr, betas=(o['beta1'], o['beta2']), eps=o['epsilon'], weight_decay=wd)


def split(data, name):
    rows = data[name]
    x = torch.tensor(rows['x']).reshape(rows['count'], data['inputs'])
    y = torch.tensor(rows['y'], dtype=torch.long) if data['classes'] else torch.tensor(rows['y']).reshape(rows['count'], data['outputs'])
    return x, y


def bits(text, count):
    return np.unpackbits(np.frombuffer(base64.b64decode(text), dtype=np.uint8), bitorder='little')[:count]


def train(case):
    net, o, data = case['network'], case['optimizer'], case['data']
    model = Replayed(net)
    load(model, net, case['initial'])
    x, y = split(data, 'train')
    steps, rows = case['steps'], case['rowsPerStep']
    batches = torch.tensor(case['batches'], dtype=torch.long).reshape(steps, rows) if case['batches'] else None
    masks = {m['layer']: torch.tensor(bits(m['bits'], steps * rows * m['units']), dtype=torch.float64).reshape(steps, rows, m['units'])
             for m in case['masks']}
    opt = optimizer(o, list(model.parameters()))
    rates = torch_rates(o, steps)
    penalised = [(m['core'].weight, o['l1'] * L['l1Scale'], o['l2'] * L['l2Scale'])
                 for L, m in zip(net['layers'], model.parts) if L['type'] in ('dense', 'conv')]
    losses = []
    model.train()
    for t in range(steps):
        for group in opt.param_groups:
            group['lr'] = rates[t]
        xb, yb = (x[batches[t]], y[batches[t]]) if batches is not None else (x, y)
        opt.zero_grad()
        loss = data_loss(net['loss'], model(xb, {i: m[t] for i, m in masks.items()}), yb, data)
        penalty = sum(l1 * w.abs().sum() + 0.5 * l2 * (w * w).sum() for w, l1, l2 in penalised)
        (loss + penalty).backward()
        if o['clipNorm'] > 0:
            nn.utils.clip_grad_norm_(model.parameters(), o['clipNorm'])
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        evaluation = {'train': data_loss(net['loss'], model(x), y, data).item()}
        if data['test']['count']:
            xt, yt = split(data, 'test')
            evaluation['test'] = data_loss(net['loss'], model(xt), yt, data).item()
    return {'losses': losses, 'final': read(model, net), 'evaluation': evaluation, 'rates': rates}


# ---- initialisations: torch.nn.init's sample of the same shape, and the KS statistic against gradlab's ----

def init_sample(case):
    name, p = case['name'], case['params']
    w = torch.empty(case['torchShape'])
    torch.manual_seed(case['seed'])
    init = nn.init
    if name == 'normal':
        init.normal_(w, 0.0, p['std'])
    elif name == 'uniform':
        init.uniform_(w, p['a'], p['b'])
    elif name == 'xavier':  # gradlab's xavier is N(0, 1/fan_in): LeCun normal, kaiming_normal_ with gain 1
        init.kaiming_normal_(w, nonlinearity='linear')
    elif name == 'glorot-normal':
        init.xavier_normal_(w)
    elif name == 'glorot-uniform':
        init.xavier_uniform_(w)
    elif name == 'he-normal':
        init.kaiming_normal_(w, nonlinearity='relu')
    elif name == 'he-uniform':
        init.kaiming_uniform_(w, nonlinearity='relu')
    elif name == 'lecun-uniform':
        init.kaiming_uniform_(w, nonlinearity='linear')
    elif name == 'orthogonal':
        init.orthogonal_(w, gain=p['gain'])
    else:
        raise ValueError(name)
    return w.flatten().numpy()


def ks_statistic(a, b):
    """sup |F_a - F_b| of two samples' empirical distribution functions."""
    a, b = np.sort(a), np.sort(b)
    both = np.concatenate([a, b])
    fa = np.searchsorted(a, both, side='right') / len(a)
    fb = np.searchsorted(b, both, side='right') / len(b)
    return float(np.max(np.abs(fa - fb)))


def init_case(case):
    t = init_sample(case)
    g = np.array(case['gradlab'], dtype=np.float64)
    return {'ks': ks_statistic(g, t), 'torchMean': float(t.mean()), 'torchStd': float(t.std()), 'n': len(g), 'm': len(t)}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)['cases']
    results = []
    for case in cases:
        if case['kind'] == 'train':
            results.append(train(case))
        elif case['kind'] == 'schedule':
            results.append({'rates': torch_rates(case['optimizer'], case['steps'])})
        elif case['kind'] == 'init':
            results.append(init_case(case))
        else:
            raise ValueError(case['kind'])
    json.dump({'torch': torch.__version__, 'results': results}, sys.stdout)


if __name__ == '__main__':
    main()
