// `url` for the browser bundle (esbuild.mjs aliases it): @vscode/debugadapter's path2uri/uri2path use
// `new url.URL(...)`, which the web platform has as a global.
export const URL = globalThis.URL;
export default { URL };
