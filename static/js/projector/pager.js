// The wall's rotation: what does not fit on one screen is shown a page (or slide) at a time,
// turning every few seconds. The page and the count are on the root as data-page (from 0) and
// data-pages, the interval as data-page-seconds (?page_seconds=N in the address sets it, so a
// test need not wait). The facilitator's keyboard: → or Page Down next, ← or Page Up back
// (mirrored on a right-to-left projector: ← is next, as the pages read), space pauses and
// resumes.
const DEFAULT_SECONDS = 12;

function seconds(root) {
  const asked = Number(new URLSearchParams(window.location.search).get('page_seconds'));
  if (Number.isFinite(asked) && asked >= 1 && asked <= 600) return asked;
  return Number(root.dataset.pageSeconds) || DEFAULT_SECONDS;
}

export function pager(root, onTurn) {
  const interval = seconds(root) * 1000;
  root.dataset.pageSeconds = String(interval / 1000);
  let page = 0;
  let pages = 1;
  let paused = false;
  let handle = null;

  function publish() {
    root.dataset.page = String(page);
    root.dataset.pages = String(pages);
    root.dataset.paused = String(paused);
  }

  function turn(step) {
    if (pages <= 1) return;
    page = (page + step + pages) % pages;
    publish();
    onTurn();
  }

  function restart() {
    clearInterval(handle);
    handle = setInterval(() => { if (!paused) turn(1); }, interval);
  }

  const rtl = document.documentElement.dir === 'rtl';
  const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
  const back = rtl ? 'ArrowRight' : 'ArrowLeft';
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === forward || event.key === 'PageDown') { turn(1); restart(); }
    else if (event.key === back || event.key === 'PageUp') { turn(-1); restart(); }
    else if (event.key === ' ') {
      event.preventDefault();
      paused = !paused;
      publish();
      onTurn();
    } else return;
  });

  publish();
  restart();
  return {
    get page() { return page; },
    get paused() { return paused; },
    // The view's page count after a render; the page shown stays unless it is gone.
    set(count) {
      pages = Math.max(1, count);
      if (page >= pages) page = 0;
      publish();
    },
    // A new view (another phase, bars shown or held) starts at its first page.
    reset() {
      page = 0;
      publish();
      restart();
    },
  };
}
