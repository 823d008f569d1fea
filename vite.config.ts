import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served by the station (browser mode) and loaded by Electron from disk:
// relative asset paths work for both.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
  },
});
