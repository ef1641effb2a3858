export { type ExportOptions, exportOnnx, type OnnxFusedModule } from './export.js';
export { GraphBuilder } from './graph-builder.js';
export { type OnnxBackend, OnnxSession, runOnnx } from './run-onnx.js';
export { saveOnnx } from './save-onnx.js';
