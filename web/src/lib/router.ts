// History-API routing for the client routes the server answers with
// index.html (/, /albums, /albums/{id}, /trash, /login, /settings, /s/{token}).

export interface View {
  element: HTMLElement;
  title: string;
  /** Called when the view is replaced: stop observers, abort requests. */
  dispose?: () => void;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  path: string;
}

export type RouteHandler = (context: RouteContext) => View | Promise<View>;

interface Route {
  regex: RegExp;
  keys: string[];
  handler: RouteHandler;
}

export function compilePattern(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), keys };
}

export class Router {
  private readonly routes: Route[] = [];
  private fallback: RouteHandler | null = null;
  private generation = 0;

  constructor(private readonly render: (view: View, context: RouteContext) => void) {}

  add(pattern: string, handler: RouteHandler): this {
    const { regex, keys } = compilePattern(pattern);
    this.routes.push({ regex, keys, handler });
    return this;
  }

  notFound(handler: RouteHandler): this {
    this.fallback = handler;
    return this;
  }

  start(): void {
    window.addEventListener('popstate', () => void this.resolve());
    document.addEventListener('click', (event) => this.interceptLink(event));
    void this.resolve();
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    void this.resolve();
  }

  /** Renders the route of the current location. */
  async resolve(): Promise<void> {
    const generation = ++this.generation;
    const path = location.pathname;
    const query = new URLSearchParams(location.search);
    let handler = this.fallback;
    let params: Record<string, string> = {};
    for (const route of this.routes) {
      const match = route.regex.exec(path);
      if (!match) continue;
      handler = route.handler;
      params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1] ?? '')]));
      break;
    }
    if (!handler) return;
    const context = { params, query, path };
    const view = await handler(context);
    // A later navigation won while this view was loading.
    if (generation !== this.generation) {
      view.dispose?.();
      return;
    }
    this.render(view, context);
  }

  private interceptLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) {
      this.navigate(url.pathname + url.search);
    }
  }
}
