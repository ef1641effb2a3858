import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Input, Variable } from '@tsdl/autograd';
import { Generator, randn, zeros } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from './activations.js';
import { Identity } from './identity.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { ModuleList } from './module-list.js';
import { Sequential } from './sequential.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/torch-parity-schedulers.json', import.meta.url));

/** The fixture script's ListNet, built from tsdl's layers in the same order. */
class ListNet extends Module {
  readonly stem = this.registerModule('stem', new Identity());
  readonly layers = this.registerModule(
    'layers',
    new ModuleList<Module>([new Linear(3, 4), new Identity(), new Linear(4, 5)]),
  );
  readonly empty = this.registerModule('empty', new ModuleList());
  readonly blocks = this.registerModule(
    'blocks',
    new ModuleList<Module>([
      new ModuleList([new Linear(2, 3)]),
      new Sequential(new Identity(), new Linear(3, 1)),
    ]),
  );

  constructor() {
    super();
    this.layers.append(new Linear(5, 2));
    this.layers.extend([new Identity(), new Linear(2, 2, { bias: false })]);
  }

  forward(x: Input): Variable {
    let h = this.stem.forward(x) as Variable;
    for (const m of this.layers) h = (m as Linear).forward(h);
    return h;
  }
}

describe('ModuleList', () => {
  it("names parameters as PyTorch does (torch's state_dict keys and shapes, in order)", () => {
    const torch = JSON.parse(readFileSync(FIXTURE, 'utf8')).moduleList.stateDict as [string, number[]][];
    const net = new ListNet();
    const sd = net.stateDict();
    expect(Object.entries(sd).map(([k, t]) => [k, t.shape])).toEqual(torch);
    // A PyTorch state_dict with those keys loads strictly, with no mapping.
    const g = new Generator(3);
    const res = net.loadStateDict(
      Object.fromEntries(torch.map(([k, shape]) => [k, randn(shape, { generator: g })])),
    );
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [], shapeMismatches: [] });
    expect(net.forward(zeros([1, 3])).shape).toEqual([1, 2]);
  });

  it('appends, extends, indexes (negative from the end) and iterates in order', () => {
    const a = new Linear(1, 1);
    const b = new ReLU();
    const c = new Linear(1, 2);
    const list = new ModuleList([a]).append(b).extend(new Set([c]));
    expect(list.length).toBe(3);
    expect([...list]).toEqual([a, b, c]);
    expect(list.at(0)).toBe(a);
    expect(list.at(-1)).toBe(c);
    expect([...list.children()].map(([k]) => k)).toEqual(['0', '1', '2']);
    expect(list.parameters()).toEqual([...a.parameters(), ...c.parameters()]);
    expect(new ModuleList().length).toBe(0);
  });

  it('train()/eval() reach every item; a module listed twice has its parameters listed once', () => {
    const shared = new Linear(2, 2);
    const list = new ModuleList([shared, new Sequential(new ReLU()), shared]).eval();
    expect([...list].every((m) => !m.training)).toBe(true);
    expect(list.parameters()).toHaveLength(2);
    expect(Object.keys(list.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('rejects what is not a Module, bad indices, and a forward call', () => {
    const list = new ModuleList([new ReLU()]);
    expect(() => list.append({} as Module)).toThrow(
      'ModuleList.append: item 1 must be a Module, received Object',
    );
    expect(() => new ModuleList(5 as unknown as Module[])).toThrow(
      'ModuleList.extend: modules must be an iterable of Modules, received number',
    );
    expect(() => list.at(1)).toThrow('ModuleList.at: index 1 is out of range for 1 modules');
    expect(() => list.at(-2)).toThrow(/index -2 is out of range/);
    expect(() => list.at(0.5)).toThrow(/index 0.5 is out of range/);
    expect(() => list.forward()).toThrow(/ModuleList has no forward/);
    expect(list.length).toBe(1);
  });
});
