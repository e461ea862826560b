// Just enough of a browser for the inspector's ZoneMap to construct and draw headless (bench/figures.ts
// map-frame-4T): a canvas whose 2D context accepts every call and does nothing (so the figure is the cost of
// the draw function's own work: the loops over cells, colours, paths), observers that never fire.
const noop = (): void => {};
/** drawing calls made on stub canvases (the bench checks a frame drew something) */
export const drawCalls = { n: 0 };
const counted = (): void => { drawCalls.n++; };

function context2d(): unknown {
  const fns = new Map<string | symbol, unknown>();
  const props = new Map<string | symbol, unknown>();
  return new Proxy({}, {
    get(_t, k) {
      if (props.has(k)) return props.get(k);
      if (k === 'measureText') return (s: string) => ({ width: s.length * 7, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 });
      if (k === 'createPattern' || k === 'createLinearGradient') return () => ({ addColorStop: noop, setTransform: noop });
      if (k === 'getLineDash') return () => [];
      if (!fns.has(k)) fns.set(k, counted);
      return fns.get(k);
    },
    set(_t, k, v) { props.set(k, v); return true; },
  });
}

function element(tag: string): Record<string, unknown> {
  const el: Record<string, unknown> = {
    tagName: tag.toUpperCase(), style: {}, dataset: {}, children: [] as unknown[], hidden: false, textContent: '',
    width: 300, height: 150, clientWidth: 1200, clientHeight: 800, offsetWidth: 100, offsetHeight: 20,
    classList: { add: noop, remove: noop, contains: () => false, toggle: noop },
    setAttribute: noop, removeAttribute: noop, addEventListener: noop, removeEventListener: noop, focus: noop,
    append: noop, appendChild: (c: unknown) => c, replaceChildren: noop, remove: noop,
    getBoundingClientRect: () => ({ left: 0, top: 0, width: 1200, height: 800 }),
  };
  if (tag === 'canvas') {
    const ctx = context2d();
    el.getContext = () => ctx;
  }
  return el;
}

export function installDom(): void {
  const g = globalThis as Record<string, unknown>;
  const body = element('body');
  g.document = { body, createElement: element, documentElement: body, hidden: false, addEventListener: noop, removeEventListener: noop };
  g.window = { devicePixelRatio: 1, innerWidth: 1400, innerHeight: 1460, addEventListener: () => {}, removeEventListener: () => {} };
  g.getComputedStyle = () => ({ getPropertyValue: () => '' });
  g.ResizeObserver = class { observe(): void {} disconnect(): void {} };
  g.MutationObserver = class { observe(): void {} disconnect(): void {} };
}
