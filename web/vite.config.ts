import { defineConfig } from 'vitest/config';

// The gallery binary serves dist/ itself (GALLERY_WEB_DIR): hashed names
// under assets/ are cached for a year, index.html is revalidated.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    // Small files stay separate rather than inlined as data: URIs.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` next to a running gallery: the API is proxied.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
