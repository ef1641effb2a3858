// Training checkpoints as one safetensors file: model and optimizer tensors as tensors, everything
// else (optimizer hyper-parameters and step counts, RNG states, scheduler state, epoch, step,
// extra) as JSON in the metadata, so a resumed run continues bit for bit.
import type { Generator, GeneratorState, Tensor } from '@tsdl/tensor';
import type { Module } from './module.js';
import type { Optimizer, ParamState } from './optim/optimizer.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSource,
  type SafetensorsRecord,
  writeFileAtomic,
} from './safetensors.js';

/** Anything with a JSON-safe stateDict (the schedulers). */
export interface Stateful {
  stateDict(): Record<string, unknown>;
  loadStateDict(sd: Record<string, unknown>): void;
}

export interface CheckpointContents {
  model: Module;
  optimizer?: Optimizer;
  /** Generators whose streams must resume (the data shuffler, dropout, …) by name. */
  generators?: Record<string, Generator>;
  /** Shorthand for generators: { default: generator }. */
  generator?: Generator;
  schedulers?: Record<string, Stateful>;
  epoch?: number;
  step?: number;
  /** Any JSON-serialisable extra (best metric, config…). */
  extra?: unknown;
}

export interface CheckpointInfo {
  epoch: number | undefined;
  step: number | undefined;
  extra: unknown;
}

const META_KEY = 'tsdl.checkpoint';
const MODEL = 'model.';
const OPTIM = 'optimizer.state.';

interface CheckpointMeta {
  format: 1;
  epoch?: number;
  step?: number;
  extra?: unknown;
  optimizer?: { name: string; paramGroups: unknown[]; scalars: Record<string, Record<string, number>> };
  generators: Record<string, GeneratorState>;
  schedulers: Record<string, unknown>;
}

// JSON has no Infinity/NaN (ReduceLROnPlateau starts with best = ±Infinity).
const replacer = (_k: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v;
const reviver = (_k: string, v: unknown): unknown =>
  typeof v === 'object' && v !== null && '$number' in v ? Number((v as { $number: string }).$number) : v;

function generatorsOf(c: Pick<CheckpointContents, 'generator' | 'generators'>): Record<string, Generator> {
  return { ...(c.generator ? { default: c.generator } : {}), ...c.generators };
}

/** Encodes a checkpoint; when `path` is given, writes it atomically. Returns the bytes. */
export async function saveCheckpoint(path: string | undefined, c: CheckpointContents): Promise<Uint8Array> {
  const tensors: SafetensorsRecord = {};
  for (const [k, t] of Object.entries(c.model.stateDict())) tensors[MODEL + k] = t;
  const meta: CheckpointMeta = {
    format: 1,
    epoch: c.epoch,
    step: c.step,
    extra: c.extra,
    generators: {},
    schedulers: {},
  };
  if (c.optimizer) {
    const sd = c.optimizer.stateDict();
    const scalars: Record<string, Record<string, number>> = {};
    for (const [id, s] of Object.entries(sd.state)) {
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') {
          scalars[id] ??= {};
          scalars[id][k] = v;
        } else tensors[`${OPTIM}${id}.${k}`] = v;
      }
    }
    meta.optimizer = { name: c.optimizer.name, paramGroups: sd.paramGroups, scalars };
  }
  for (const [name, g] of Object.entries(generatorsOf(c))) meta.generators[name] = g.getState();
  for (const [name, s] of Object.entries(c.schedulers ?? {})) meta.schedulers[name] = s.stateDict();
  const bytes = encodeSafetensors(tensors, { [META_KEY]: JSON.stringify(meta, replacer) });
  if (path !== undefined) await writeFileAtomic(path, bytes);
  return bytes;
}

/**
 * Restores a checkpoint into freshly built objects of the same architecture: the model's
 * parameters (strict), the optimizer's state and hyper-parameters, each named generator's state and
 * each scheduler's state. Everything is validated before anything is changed. Returns epoch/step/extra.
 */
export async function loadCheckpoint(
  source: string | Uint8Array | ArrayBuffer,
  into: Omit<CheckpointContents, 'epoch' | 'step' | 'extra'>,
): Promise<CheckpointInfo> {
  const { tensors, metadata } = decodeSafetensors(await readSource(source));
  const rawMeta = metadata[META_KEY];
  if (rawMeta === undefined)
    throw new Error(
      `loadCheckpoint: no '${META_KEY}' metadata; this safetensors file is not a tsdl checkpoint`,
    );
  const meta = JSON.parse(rawMeta, reviver) as CheckpointMeta;
  if (meta.format !== 1)
    throw new Error(`loadCheckpoint: unsupported checkpoint format ${String(meta.format)}`);

  const modelSd: Record<string, Tensor> = {};
  const optimState: Record<number, ParamState> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith(MODEL)) modelSd[k.slice(MODEL.length)] = t;
    else if (k.startsWith(OPTIM)) {
      const rest = k.slice(OPTIM.length);
      const dot = rest.indexOf('.');
      const id = Number(rest.slice(0, dot));
      optimState[id] ??= {};
      optimState[id][rest.slice(dot + 1)] = t;
    } else throw new Error(`loadCheckpoint: unexpected tensor '${k}'`);
  }
  if (into.optimizer && !meta.optimizer)
    throw new Error('loadCheckpoint: an optimizer was given but the checkpoint holds none');
  if (meta.optimizer && into.optimizer && meta.optimizer.name !== into.optimizer.name) {
    throw new Error(
      `loadCheckpoint: checkpoint optimizer is ${meta.optimizer.name}, received ${into.optimizer.name}`,
    );
  }
  const gens = generatorsOf(into);
  for (const name of Object.keys(gens)) {
    if (!meta.generators[name])
      throw new Error(
        `loadCheckpoint: no state for generator '${name}' (saved: ${Object.keys(meta.generators).join(', ') || 'none'})`,
      );
  }
  for (const name of Object.keys(into.schedulers ?? {})) {
    if (!(name in meta.schedulers)) throw new Error(`loadCheckpoint: no state for scheduler '${name}'`);
  }

  // Model first: loadStateDict validates every key and shape before it changes anything.
  into.model.loadStateDict(modelSd);
  if (into.optimizer && meta.optimizer) {
    for (const [key, s] of Object.entries(meta.optimizer.scalars)) {
      const id = Number(key);
      optimState[id] ??= {};
      Object.assign(optimState[id], s);
    }
    into.optimizer.loadStateDict({
      state: optimState,
      paramGroups: meta.optimizer.paramGroups as (Record<string, unknown> & { params: number[] })[],
    });
  }
  for (const [name, g] of Object.entries(gens)) g.setState(meta.generators[name]!);
  for (const [name, s] of Object.entries(into.schedulers ?? {}))
    s.loadStateDict(meta.schedulers[name] as Record<string, unknown>);
  return { epoch: meta.epoch, step: meta.step, extra: meta.extra };
}
