export { exportOnnx, type ExportOptions, type OnnxFusedModule } from './export.js';
export { saveOnnx } from './save-onnx.js';
export { runOnnx, OnnxSession, type OnnxBackend } from './run-onnx.js';
export { GraphBuilder } from './graph-builder.js';
