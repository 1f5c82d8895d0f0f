// What fits on the wall. The projector never scrolls: a list that does not fit is split into
// pages of whole rows, or cut to its first N rows with "and M more" — never inside a tie.
// Everything here reads laid-out boxes, so call it once the nodes are in a shown container.

const SLACK = 0.5; // px: sub-pixel layout must not push a row that fits onto the next page

// Page numbers for rows {top, bottom}: as many whole rows as fit `room` (at most `cap` rows).
function pageRows(rows, room, cap) {
  const pages = [];
  let page = 0;
  let pageTop = rows[0].top;
  let count = 0;
  for (const row of rows) {
    if (count > 0 && (row.bottom - pageTop > room + SLACK || count >= cap)) {
      page += 1;
      pageTop = row.top;
      count = 0;
    }
    pages.push(page);
    count += 1;
  }
  return pages;
}

// Gives each item `data-page` (rows that fit the container's height, in order) and returns
// the number of pages. Items in one grid row share a page. The pages are evened out, so the
// last one is not three cards after four full ones.
export function paginate(container, items) {
  for (const item of items) item.hidden = false;
  if (!items.length) return 1;
  const rows = [];
  for (const item of items) {
    const box = item.getBoundingClientRect();
    const row = rows[rows.length - 1];
    if (row && Math.abs(box.top - row.top) < 1) {
      row.items.push(item);
      row.bottom = Math.max(row.bottom, box.bottom);
    } else rows.push({ top: box.top, bottom: box.bottom, items: [item] });
  }
  // The first row sits where every page's first row will sit once the others are hidden.
  const room = container.getBoundingClientRect().bottom - rows[0].top;
  let pages = pageRows(rows, room, Infinity);
  const count = pages[pages.length - 1] + 1;
  for (let cap = Math.ceil(rows.length / count); cap < rows.length; cap += 1) {
    const even = pageRows(rows, room, cap);
    if (even[even.length - 1] + 1 === count) { pages = even; break; }
  }
  rows.forEach((row, i) => {
    for (const item of row.items) item.dataset.page = String(pages[i]);
  });
  return count;
}

export function showPage(items, page) {
  for (const item of items) item.hidden = Number(item.dataset.page) !== page;
}

// How many of the leading items end inside the container.
export function fitCount(container, items) {
  const limit = container.getBoundingClientRect().bottom + SLACK;
  let n = 0;
  for (const item of items) {
    if (item.getBoundingClientRect().bottom > limit) break;
    n += 1;
  }
  return n;
}

// At most `n` of the rows ranked `ranks` (1, 2, 2, 4 …), never splitting equal ranks: if the
// n-th and the next share a rank, the cut moves up above them (0 if the tie starts at the top).
export function cutAboveTie(ranks, n) {
  if (n >= ranks.length) return ranks.length;
  let cut = Math.max(0, n);
  while (cut > 0 && ranks[cut - 1] === ranks[cut]) cut -= 1;
  return cut;
}

// Competition ranks (1, 2, 2, 4) of values already sorted best first.
export function competitionRanks(values) {
  const ranks = [];
  values.forEach((value, i) => {
    ranks.push(i > 0 && value === values[i - 1] ? ranks[i - 1] : i + 1);
  });
  return ranks;
}

// Whether the node's content sticks out below the container.
export function overflows(container) {
  const limit = container.getBoundingClientRect().bottom + SLACK;
  return [...container.children].some((child) => !child.hidden
    && child.getBoundingClientRect().bottom > limit);
}
