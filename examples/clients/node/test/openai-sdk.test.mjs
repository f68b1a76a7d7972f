// The official OpenAI Node SDK, pointed at openfusion with baseURL and apiKey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { apiKey, baseURL, QUESTION, routes } from './expected.mjs';

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const messages = [{ role: 'user', content: QUESTION }];

for (const route of routes) {
  test(`openai SDK: create, ${route.name}`, async () => {
    const completion = await client.chat.completions.create({ model: route.model, messages });

    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, route.model);
    assert.equal(completion.choices[0].message.content, route.text);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual(pick(completion.usage), route.usage);
  });

  test(`openai SDK: stream with include_usage, ${route.name}`, async () => {
    const stream = await client.chat.completions.create({
      model: route.model, messages, stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    const finishes = [];
    let usage;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk', `not a chunk: ${JSON.stringify(chunk)}`);
      assert.equal(chunk.model, route.model);
      // the SDK README's loop
      text += chunk.choices[0]?.delta?.content || '';
      if (chunk.choices[0]?.finish_reason) {
        finishes.push(chunk.choices[0].finish_reason);
      }
      if (chunk.usage) {
        usage = chunk.usage;
      }
    }

    assert.equal(text, route.text);
    assert.deepEqual(finishes, ['stop']);
    assert.deepEqual(pick(usage), route.usage);
  });

  test(`openai SDK: stream helper and finalChatCompletion, ${route.name}`, async () => {
    const runner = client.chat.completions.stream({ model: route.model, messages });
    let deltas = '';
    runner.on('content', (delta) => {
      deltas += delta;
    });

    const completion = await runner.finalChatCompletion();

    assert.equal(deltas, route.text);
    assert.equal(completion.choices[0].message.content, route.text);
    assert.equal(completion.choices[0].finish_reason, 'stop');
  });
}

test('openai SDK: a wrong key is an AuthenticationError with the OpenAI error shape', async () => {
  const stranger = new OpenAI({ baseURL, apiKey: 'sk-not-a-gateway-key', maxRetries: 0 });

  await assert.rejects(
    stranger.chat.completions.create({ model: routes[0].model, messages }),
    (error) => error instanceof OpenAI.AuthenticationError && error.status === 401 && typeof error.code === 'string',
  );
});

function pick(usage) {
  assert.ok(usage, 'usage is missing');
  return { prompt: usage.prompt_tokens, completion: usage.completion_tokens, total: usage.total_tokens };
}
