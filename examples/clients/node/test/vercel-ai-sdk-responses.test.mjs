// The Vercel AI SDK's default OpenAI provider call, createOpenAI({ baseURL, apiKey })(model), which speaks the
// Responses API (POST /v1/responses) in this SDK version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { apiKey, baseURL, expected, QUESTION, routes } from './expected.mjs';

// every request body the provider sends, to see what it asked for
const sent = [];
const provider = createOpenAI({
  baseURL,
  apiKey,
  fetch: (url, init) => {
    sent.push({ url: String(url), body: JSON.parse(init.body) });
    return fetch(url, init);
  },
});

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

for (const route of routes) {
  test(`AI SDK (Responses): a second turn names the first answer by item_reference, ${route.name}`, async () => {
    const history = [{ role: 'user', content: QUESTION }];
    const first = await generateText({ model: provider(route.model), messages: history, maxRetries: 0 });
    const conversation = [...history, ...first.response.messages, { role: 'user', content: expected.followUp }];

    sent.length = 0;
    const second = await generateText({ model: provider(route.model), messages: conversation, maxRetries: 0 });

    // the provider keeps the answer's item id and, the response being stored, sends a reference instead of the text
    const itemId = first.response.messages[0].content[0].providerOptions.openai.itemId;
    assert.deepEqual(sent.map((s) => s.url), [`${baseURL}/responses`]);
    assert.deepEqual(sent[0].body.input[1], { type: 'item_reference', id: itemId });
    assert.equal(second.text, route.text);
    assert.equal(second.finishReason, 'stop');
    assert.deepEqual(pick(second.usage), route.usage);

    const errors = [];
    const streamed = streamText({
      model: provider(route.model), messages: conversation, maxRetries: 0, onError: ({ error }) => errors.push(error),
    });
    for await (const part of streamed.fullStream) {
      if (part.type === 'error') {
        errors.push(part.error);
      }
    }
    assert.deepEqual(errors, [], `error parts: ${errors.map(String).join('; ')}`);
    assert.equal(await streamed.text, route.text);
    assert.equal(await streamed.finishReason, 'stop');
  });
}

for (const route of routes) {
  test(`AI SDK (Responses): a tool loop, its call and result sent back inline, ${route.name}`, async () => {
    const weather = tool({
      description: 'The weather in a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => `sunny in ${city}`,
    });

    sent.length = 0;
    const result = await generateText({
      model: provider(route.model), prompt: 'What is the weather in Paris?', tools: { get_weather: weather },
      stopWhen: stepCountIs(3), maxRetries: 0,
    });

    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1].body.input.slice(1).map((item) => [item.type, item.call_id]),
      [['function_call', expected.toolCallId], ['function_call_output', expected.toolCallId]]);
    assert.equal(result.steps.length, 2);
    assert.deepEqual(result.steps[0].toolCalls.map((call) => [call.toolCallId, call.toolName, call.input]),
      [[expected.toolCallId, 'get_weather', JSON.parse(expected.toolArguments)]]);
    assert.equal(result.steps[0].finishReason, 'tool-calls');
    assert.equal(result.text, `${expected.toolAnswerPrefix}sunny in Paris`);
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.totalUsage.totalTokens > 0);
  });
}

function pick(usage) {
  assert.ok(usage, 'usage is missing');
  return { prompt: usage.inputTokens, completion: usage.outputTokens, total: usage.totalTokens };
}
