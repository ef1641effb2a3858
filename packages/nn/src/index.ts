export { Module, type StateDict, type LoadStateDictResult } from './module.js';
export { Parameter } from './parameter.js';
