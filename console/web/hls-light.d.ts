// hls.js's light build (no subtitles, alternate audio or DRM) has the full build's API; its package names the types
// only for the main entry, which this project's "node" module resolution finds.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
