import { defineConfig } from 'vite';

// The browser page: drawing + onnxruntime-web inference, and training in a Web Worker.
export default defineConfig({
  root: 'web',
  base: './',
  build: { outDir: '../web-dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});
