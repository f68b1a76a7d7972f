// The Vercel AI SDK's default OpenAI provider call, createOpenAI({ baseURL, apiKey })(model), which speaks the
// Responses API (POST /v1/responses) in this SDK version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { apiKey, baseURL, QUESTION, routes } from './expected.mjs';

const provider = createOpenAI({ baseURL, apiKey });

for (const route of routes) {
  test(`AI SDK (Responses): generateText, ${route.name}`, async () => {
    const result = await generateText({ model: provider(route.model), prompt: QUESTION, maxRetries: 0 });

    assert.equal(result.text, route.text);
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.response.modelId, route.model);
    assert.match(result.response.id, /^resp_/, 'the Responses API answered');
    assert.deepEqual(pick(result.usage), route.usage);
  });

  test(`AI SDK (Responses): streamText, ${route.name}`, async () => {
    const errors = [];
    const result = streamText({
      model: provider(route.model), prompt: QUESTION, maxRetries: 0, onError: ({ error }) => errors.push(error),
    });
    let text = '';
    const parts = [];
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === 'text-delta') {
        text += part.text;
      } else if (part.type === 'error') {
        // every event the provider's schema rejects turns into one of these
        errors.push(part.error);
      }
    }

    assert.deepEqual(errors, [], `error parts: ${errors.map(String).join('; ')}`);
    assert.equal(text, route.text);
    assert.equal(await result.text, route.text);
    assert.equal(await result.finishReason, 'stop');
    assert.equal(parts.at(-1), 'finish');
    assert.match((await result.response).id, /^resp_/, 'the Responses API answered');
    assert.deepEqual(pick(await result.totalUsage), route.usage);
  });
}

function pick(usage) {
  assert.ok(usage, 'usage is missing');
  return { prompt: usage.inputTokens, completion: usage.outputTokens, total: usage.totalTokens };
}
