// A hand-written frontend: fetch + eventsource-parser, reading choices[0].delta.content the way most tutorials do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { apiKey, baseURL, QUESTION, routes } from './expected.mjs';

async function post(body, headers = {}) {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}`, ...headers },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response;
}

/** Feeds the response body to eventsource-parser and hands every event to onEvent. */
async function readEvents(response, onEvent) {
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const parser = createParser({ onEvent });
  const decoder = new TextDecoder();
  for await (const bytes of response.body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
  }
}

for (const route of routes) {
  test(`frontend: fetch + eventsource-parser, ${route.name}`, async () => {
    const response = await post({ model: route.model, messages: [{ role: 'user', content: QUESTION }], stream: true });
    let text = '';
    let finish;
    let done = false;
    await readEvents(response, (event) => {
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      // no optional chaining: a message without choices (a named event, say) throws here, as it would in the page
      const json = JSON.parse(event.data);
      const content = json.choices[0].delta.content;
      if (content) {
        text += content;
      }
      finish = json.choices[0].finish_reason ?? finish;
    });

    assert.equal(text, route.text);
    assert.equal(finish, 'stop');
    assert.ok(done, 'the stream ended without data: [DONE]');
  });

  test(`frontend: non-streamed fetch, ${route.name}`, async () => {
    const response = await post({ model: route.model, messages: [{ role: 'user', content: QUESTION }] });
    const json = await response.json();

    assert.equal(json.choices[0].message.content, route.text);
    assert.equal(json.choices[0].finish_reason, 'stop');
  });
}

test('frontend: unguarded text += delta.content on a fused stream', async () => {
  const fused = routes[0];
  const response = await post({ model: fused.model, messages: [{ role: 'user', content: QUESTION }], stream: true });
  let text = '';
  await readEvents(response, (event) => {
    if (event.data !== '[DONE]') {
      // every fused chunk carries a content string, the finish chunk an empty one: no "undefined" in the page
      text += JSON.parse(event.data).choices[0].delta.content;
    }
  });

  assert.equal(text, fused.text);
});

test('frontend: X-OpenFusion-Events: on adds named progress and usage events', async () => {
  const response = await post({ model: routes[0].model, messages: [{ role: 'user', content: QUESTION }], stream: true },
    { 'X-OpenFusion-Events': 'on' });
  const named = new Set();
  let text = '';
  await readEvents(response, (event) => {
    if (event.event) {
      named.add(event.event);
    } else if (event.data !== '[DONE]') {
      text += JSON.parse(event.data).choices[0].delta.content ?? '';
    }
  });

  assert.ok(named.has('progress'), `named events: ${[...named]}`);
  assert.ok(named.has('usage'), `named events: ${[...named]}`);
  assert.equal(text, routes[0].text);
});
