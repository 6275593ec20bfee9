// Monaco's own editor worker (diffing, links, word ranges), bundled by vite instead of loaded from a CDN.
import 'monaco-editor/esm/vs/editor/editor.worker.js';
