// The history sidebar: conversations, most recent first; open, delete, start a new one.
import { $, h } from '../dom.js';

export function createSidebar({ onSelect, onDelete, onNew }) {
  const list = $('history-list');
  const empty = $('history-empty');
  const status = $('history-status');
  const sidebar = $('sidebar');
  const toggle = $('toggle-history');
  const narrow = window.matchMedia('(max-width: 899px)');

  function setOpen(open) {
    sidebar.classList.toggle('open', open);
    sidebar.classList.toggle('closed', !open);
    toggle.setAttribute('aria-expanded', String(open));
  }

  setOpen(!narrow.matches);
  narrow.addEventListener('change', () => setOpen(!narrow.matches));
  toggle.addEventListener('click', () => setOpen(!sidebar.classList.contains('open')));
  $('new-conversation').addEventListener('click', () => {
    onNew();
    if (narrow.matches) setOpen(false);
  });

  return {
    render(conversations, activeId) {
      list.replaceChildren(...conversations.map((c) => {
        const turns = c.turns.length;
        const date = new Date(c.updatedAt ?? c.createdAt ?? Date.now()).toLocaleDateString();
        const active = c.id === activeId;
        return h('li', { class: `history-item${active ? ' active' : ''}`, dataset: { id: c.id } },
          h('button', {
            class: 'history-open', type: 'button', 'aria-current': active ? 'true' : null,
            onclick: () => {
              onSelect(c.id);
              if (narrow.matches) setOpen(false);
            },
          }, h('span', { class: 'history-title' }, c.title), h('span', { class: 'history-meta' }, `${turns} turn${turns === 1 ? '' : 's'} · ${date}`)),
          h('button', {
            class: 'history-delete', type: 'button', title: 'Delete', 'aria-label': `Delete conversation: ${c.title}`,
            onclick: () => onDelete(c.id),
          }, '×'));
      }));
      empty.hidden = conversations.length > 0;
    },
    say(text) {
      status.textContent = text;
    },
  };
}
