// The app: routes, the signed-in frame, uploads, and the public share page.

import './styles/base.css';
import './styles/app.css';
import './styles/grid.css';
import './styles/lightbox.css';
import './styles/upload.css';

import { SESSION_ENDED_EVENT } from './api/http';
import type { Session } from './api/types';
import { installDropTarget, UploadPanel } from './components/upload-panel';
import { Uploader } from './components/uploader';
import { h } from './lib/dom';
import { Router, type RouteContext, type RouteHandler, type View } from './lib/router';
import { currentUser, loadSession, setSession, signOut } from './lib/session';
import { errorMessage, toast } from './ui/toast';
import { albumView } from './views/album';
import { albumsView } from './views/albums';
import type { AppContext } from './views/context';
import { loginView } from './views/login';
import { notFoundView } from './views/not-found';
import { emptyState } from './views/page';
import { settingsView } from './views/settings';
import { sharePageView } from './views/share-page';
import { Shell } from './views/shell';
import { timelineView } from './views/timeline';
import { trashView } from './views/trash';

const root = document.getElementById('app') as HTMLElement;
const uploader = new Uploader();
let shell: Shell | null = null;
let app: AppContext | null = null;
let removeDropTarget: (() => void) | null = null;
let uploadAlbum: string | null = null;
let currentView: View | null = null;
let firstRender = true;

const router = new Router(render);

function render(view: View, context: RouteContext): void {
  currentView?.dispose?.();
  currentView = view;
  document.title = `${view.title} · Picture Gallery`;
  const framed = shell !== null && !context.path.startsWith('/s/') && context.path !== '/login';
  if (framed && shell) {
    if (!shell.element.isConnected) root.replaceChildren(shell.element);
    shell.setPage(context.path, view.element);
  } else {
    root.replaceChildren(view.element);
  }
  root.setAttribute('aria-busy', 'false');
  if (!firstRender) {
    // A new page: start at its top and move focus there for screen readers.
    window.scrollTo(0, 0);
    (document.getElementById('main') as HTMLElement | null)?.focus({ preventScroll: true });
  }
  firstRender = false;
}

function startApp(session: Session): AppContext {
  setSession(session);
  teardownApp();
  const panel = new UploadPanel(uploader, () => uploadAlbum);
  const context: AppContext = {
    user: session.user,
    uploader,
    uploads: panel,
    navigate: (path, options) => router.navigate(path, options),
    setUploadAlbum: (id) => (uploadAlbum = id),
  };
  shell = new Shell(session.user, {
    onUpload: () => panel.pick(),
    onSignOut: () => {
      uploader.pauseAll();
      void signOut()
        .catch(() => {})
        .finally(() => {
          teardownApp();
          router.navigate('/login', { replace: true });
        });
    },
  });
  document.body.append(panel.element, panel.fileInput);
  removeDropTarget = installDropTarget((files) => void panel.add(files));
  app = context;
  return context;
}

function teardownApp(): void {
  removeDropTarget?.();
  removeDropTarget = null;
  app?.uploads.element.remove();
  app?.uploads.fileInput.remove();
  app = null;
  shell?.dispose();
  shell = null;
}

/** A route for signed-in users: others go to the sign-in page first. */
function signedIn(handler: (app: AppContext, context: RouteContext) => View | Promise<View>): RouteHandler {
  return (context) => {
    if (!app || !currentUser()) {
      const next = context.path + location.search;
      router.navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
      return { element: h('div'), title: 'Sign in' };
    }
    return handler(app, context);
  };
}

function safeNext(query: URLSearchParams): string {
  const next = query.get('next') ?? '/';
  // Only paths of this site: never "//elsewhere" or "https://...".
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

router
  .add('/', signedIn((a) => timelineView(a)))
  .add('/albums', signedIn((a) => albumsView(a)))
  .add('/albums/:id', signedIn((a, c) => albumView(a, c.params.id ?? '')))
  .add('/trash', signedIn(() => trashView()))
  .add('/settings', signedIn((a) => settingsView(a)))
  .add('/s/:token', (c) => sharePageView(c.params.token ?? ''))
  .add('/login', (c) => {
    if (app) {
      router.navigate(safeNext(c.query), { replace: true });
      return { element: h('div'), title: 'Photos' };
    }
    return loginView((session) => {
      startApp(session);
      router.navigate(safeNext(c.query), { replace: true });
    });
  })
  .notFound(() => notFoundView());

window.addEventListener(SESSION_ENDED_EVENT, () => {
  if (!app) return;
  uploader.pauseAll();
  setSession(null);
  teardownApp();
  toast('Your session has ended. Sign in again.', { kind: 'error' });
  router.navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
});

window.addEventListener('beforeunload', (event) => {
  if (uploader.active) event.preventDefault();
});

async function boot(): Promise<void> {
  if (!location.pathname.startsWith('/s/')) {
    try {
      const session = await loadSession();
      if (session) startApp(session);
    } catch (e) {
      root.replaceChildren(
        h(
          'main',
          { id: 'main', class: 'page-center' },
          emptyState(
            'alert',
            'The gallery cannot be reached',
            h('p', null, errorMessage(e)),
            h('button', { type: 'button', class: 'button button-primary', onclick: () => location.reload() }, 'Try again'),
          ),
        ),
      );
      root.setAttribute('aria-busy', 'false');
      return;
    }
  }
  router.start();
}

void boot();
