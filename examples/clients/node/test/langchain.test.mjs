// LangChain.js: ChatOpenAI with configuration.baseURL, invoked and streamed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI } from '@langchain/openai';
import { apiKey, baseURL, QUESTION, routes } from './expected.mjs';

const chat = (model) => new ChatOpenAI({ model, apiKey, configuration: { baseURL }, maxRetries: 0, timeout: 30_000 });

for (const route of routes) {
  test(`LangChain.js: invoke, ${route.name}`, async () => {
    const message = await chat(route.model).invoke(QUESTION);

    assert.equal(message.content, route.text);
    assert.equal(message.response_metadata.finish_reason, 'stop');
    assert.equal(message.response_metadata.model_name, route.model);
    assert.deepEqual(pick(message.usage_metadata), route.usage);
  });

  test(`LangChain.js: stream, ${route.name}`, async () => {
    let whole;
    let text = '';
    for await (const chunk of await chat(route.model).stream(QUESTION)) {
      text += chunk.content;
      whole = whole === undefined ? chunk : whole.concat(chunk);
    }

    assert.equal(text, route.text);
    assert.equal(whole.content, route.text);
    assert.equal(whole.response_metadata.finish_reason, 'stop');
    // streamUsage is on by default: LangChain asks for include_usage and reports it on the aggregate
    assert.deepEqual(pick(whole.usage_metadata), route.usage);
  });
}

function pick(usage) {
  assert.ok(usage, 'usage_metadata is missing');
  return { prompt: usage.input_tokens, completion: usage.output_tokens, total: usage.total_tokens };
}
