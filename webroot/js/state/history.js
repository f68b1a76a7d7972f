// Conversations in localStorage. A conversation is {id, title, turns[], createdAt, updatedAt}; a turn
// holds what one completed run produced. Only completed runs are stored (a failed or stopped run is
// never saved as an empty answer). When the storage is full, the conversations least recently used are
// dropped first, never the active one.

export const LIST_KEY = 'openfusion_conversations_v1';
export const ACTIVE_KEY = 'openfusion_active_conversation_v1';
const TITLE_MAX = 60;

export function titleOf(prompt) {
  const text = String(prompt ?? '').replace(/\s+/g, ' ').trim() || 'Untitled';
  return text.length > TITLE_MAX ? `${text.slice(0, TITLE_MAX)}…` : text;
}

function newId() {
  return globalThis.crypto?.randomUUID?.() ?? `c${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

function isQuotaError(err) {
  return err?.name === 'QuotaExceededError' || err?.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err?.code === 22 || err?.code === 1014;
}

function valid(c) {
  return c && typeof c.id === 'string' && Array.isArray(c.turns);
}

export class History {
  /** @param {Storage} storage localStorage, or a stand-in in tests */
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
    this.conversations = [];
    this.activeId = null;
    this.load();
  }

  load() {
    try {
      const parsed = JSON.parse(this.storage.getItem(LIST_KEY) || '[]');
      this.conversations = Array.isArray(parsed) ? parsed.filter(valid) : [];
      this.activeId = this.storage.getItem(ACTIVE_KEY);
    } catch {
      this.conversations = [];
      this.activeId = null;
    }
    this.conversations.forEach((c) => { c.updatedAt ??= c.createdAt ?? 0; });
    if (!this.get(this.activeId)) this.activeId = null;
  }

  /** Most recently used first. */
  list() {
    return [...this.conversations].sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
  }

  get(id) {
    return this.conversations.find((c) => c.id === id) ?? null;
  }

  active() {
    return this.get(this.activeId);
  }

  /** null starts a new, still empty conversation (it is created by its first turn). */
  setActive(id) {
    this.activeId = this.get(id) ? id : null;
    return this.save();
  }

  /** Appends a completed turn to conversation {@code id} (a new conversation when null or gone). */
  addTurn(id, turn) {
    let conversation = this.get(id);
    const now = Date.now();
    if (!conversation) {
      conversation = { id: newId(), title: titleOf(turn.prompt), turns: [], createdAt: now, updatedAt: now };
      this.conversations.push(conversation);
    }
    conversation.turns.push(turn);
    conversation.updatedAt = now;
    this.activeId = conversation.id;
    return { conversation, ...this.save() };
  }

  remove(id) {
    this.conversations = this.conversations.filter((c) => c.id !== id);
    if (this.activeId === id) this.activeId = null;
    return this.save();
  }

  /** A new conversation with the turns up to and including {@code turnId}; it becomes the active one. */
  branch(id, turnId) {
    const source = this.get(id);
    const index = source ? source.turns.findIndex((t) => t.id === turnId) : -1;
    if (index < 0) return null;
    const now = Date.now();
    const conversation = {
      id: newId(),
      title: titleOf(`Branch of: ${source.title}`),
      turns: structuredClone(source.turns.slice(0, index + 1)),
      createdAt: now,
      updatedAt: now,
    };
    this.conversations.push(conversation);
    this.activeId = conversation.id;
    return { conversation, ...this.save() };
  }

  /**
   * Writes everything. On a full storage, drops the least recently used conversations (never the
   * active one) until it fits. @returns {{ok: boolean, dropped: number}}
   */
  save() {
    let dropped = 0;
    for (;;) {
      try {
        this.storage.setItem(LIST_KEY, JSON.stringify(this.conversations));
        if (this.activeId) this.storage.setItem(ACTIVE_KEY, this.activeId);
        else this.storage.removeItem(ACTIVE_KEY);
        return { ok: true, dropped };
      } catch (err) {
        if (!isQuotaError(err)) return { ok: false, dropped };
        const oldest = this.conversations
          .filter((c) => c.id !== this.activeId)
          .sort((a, b) => (a.updatedAt ?? 0) - (b.updatedAt ?? 0))[0];
        if (!oldest) return { ok: false, dropped };
        this.conversations = this.conversations.filter((c) => c !== oldest);
        dropped++;
      }
    }
  }
}
