// The official Anthropic TypeScript SDK against openfusion's Messages API: new Anthropic({ baseURL, apiKey }), where
// baseURL is the server's origin (the SDK adds /v1/messages) and the gateway key travels as x-api-key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { apiKey, baseURL, expected, QUESTION, routes } from './expected.mjs';

const origin = baseURL.replace(/\/v1\/?$/, '');
const client = new Anthropic({ baseURL: origin, apiKey, maxRetries: 0, timeout: 30_000 });
const messages = [{ role: 'user', content: QUESTION }];

const weatherTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const WEATHER_QUESTION = [{ role: 'user', content: 'What is the weather in Paris?' }];
const TOOL_OUTPUT = 'sunny, 24 C';

for (const route of routes) {
  test(`Anthropic SDK: messages.create, ${route.name}`, async () => {
    const message = await client.messages.create({ model: route.model, max_tokens: 256, messages, system: 'Answer briefly.' });

    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.match(message.id, /^msg_/);
    assert.equal(message.model, route.model);
    assert.deepEqual(message.content, [{ type: 'text', text: route.text }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.stop_sequence, null);
    assert.deepEqual(pick(message.usage), route.usage);
  });

  test(`Anthropic SDK: messages.create with stream: true, ${route.name}`, async () => {
    const stream = await client.messages.create({ model: route.model, max_tokens: 256, messages, stream: true });
    const events = [];
    for await (const event of stream) {
      events.push(event);
    }

    const types = events.map((e) => e.type);
    assert.ok(!types.includes('error'), `events: ${types.join(', ')}`);
    assert.deepEqual(types.slice(0, 2), ['message_start', 'content_block_start']);
    assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    assert.equal(events[0].message.model, route.model);
    const deltas = events.filter((e) => e.type === 'content_block_delta');
    assert.ok(deltas.every((e) => e.index === 0 && e.delta.type === 'text_delta'));
    assert.equal(deltas.map((e) => e.delta.text).join(''), route.text);
    const last = events.find((e) => e.type === 'message_delta');
    assert.equal(last.delta.stop_reason, 'end_turn');
    assert.deepEqual(pick(last.usage), route.usage);
  });

  test(`Anthropic SDK: messages.stream() and finalMessage(), ${route.name}`, async () => {
    const stream = client.messages.stream({ model: route.model, max_tokens: 256, messages });
    let deltas = '';
    let snapshot;
    stream.on('text', (delta, textSnapshot) => {
      deltas += delta;
      snapshot = textSnapshot;
    });

    const message = await stream.finalMessage();

    assert.equal(deltas, route.text);
    assert.equal(snapshot, route.text);
    assert.equal(await stream.finalText(), route.text);
    assert.deepEqual(message.content, [{ type: 'text', text: route.text }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(pick(message.usage), route.usage);
  });

  test(`Anthropic SDK: messages.stream() assembles a tool's input from input_json_delta, ${route.name}`, async () => {
    const stream = client.messages.stream({ model: route.model, max_tokens: 256, messages: WEATHER_QUESTION, tools: [weatherTool] });
    const partials = [];
    let jsonSnapshot;
    stream.on('inputJson', (partial, snapshot) => {
      partials.push(partial);
      jsonSnapshot = snapshot;
    });

    const message = await stream.finalMessage();

    assert.ok(partials.length > 1, 'the input arrives in pieces');
    assert.equal(partials.join(''), expected.toolArguments);
    assert.deepEqual(jsonSnapshot, JSON.parse(expected.toolArguments));
    assert.equal(message.stop_reason, 'tool_use');
    assertOnlyToolUse(message);
    assert.ok(message.usage.output_tokens > 0);
  });

  test(`Anthropic SDK: a tool_use and its tool_result, ${route.name}`, async () => {
    const first = await client.messages.create({ model: route.model, max_tokens: 256, messages: WEATHER_QUESTION, tools: [weatherTool] });

    assert.equal(first.stop_reason, 'tool_use');
    const toolUse = assertOnlyToolUse(first);

    const followUp = [
      ...WEATHER_QUESTION,
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: TOOL_OUTPUT }] },
    ];
    const second = await client.messages.create({ model: route.model, max_tokens: 256, messages: followUp, tools: [weatherTool] });

    assert.deepEqual(second.content, [{ type: 'text', text: expected.toolAnswerPrefix + TOOL_OUTPUT }]);
    assert.equal(second.stop_reason, 'end_turn');

    const streamed = await client.messages.stream({ model: route.model, max_tokens: 256, messages: followUp, tools: [weatherTool] })
      .finalMessage();
    assert.deepEqual(streamed.content, [{ type: 'text', text: expected.toolAnswerPrefix + TOOL_OUTPUT }]);
    assert.equal(streamed.stop_reason, 'end_turn');
  });

  test(`Anthropic SDK: messages.countTokens, ${route.name}`, async () => {
    const count = await client.messages.countTokens({ model: route.model, messages });
    const longer = await client.messages.countTokens({
      model: route.model, messages: [{ role: 'user', content: `${QUESTION} ${'And the capital of Spain? '.repeat(20)}` }],
    });

    assert.ok(Number.isInteger(count.input_tokens) && count.input_tokens > 0, JSON.stringify(count));
    assert.ok(longer.input_tokens > count.input_tokens, `${longer.input_tokens} > ${count.input_tokens}`);
  });
}

test('Anthropic SDK: a missing max_tokens is a 400 invalid_request_error', async () => {
  await assert.rejects(client.messages.create({ model: routes[0].model, messages }), (error) => {
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.error.type, 'error');
    assert.match(error.apiMessage, /max_tokens/);
    assert.ok(error.requestID, 'request-id header');
    return true;
  });
});

test('Anthropic SDK: a wrong x-api-key is a 401 authentication_error', async () => {
  const stranger = new Anthropic({ baseURL: origin, apiKey: 'sk-not-a-gateway-key', maxRetries: 0 });

  for (const attempt of [
    () => stranger.messages.create({ model: routes[0].model, max_tokens: 256, messages }),
    () => stranger.messages.stream({ model: routes[0].model, max_tokens: 256, messages }).finalMessage(),
    () => stranger.messages.countTokens({ model: routes[0].model, messages }),
  ]) {
    await assert.rejects(attempt(), (error) => {
      assert.ok(error instanceof Anthropic.AuthenticationError, String(error));
      assert.equal(error.status, 401);
      assert.equal(error.type, 'authentication_error');
      return true;
    });
  }
});

function assertOnlyToolUse(message) {
  assert.deepEqual(message.content.map((block) => block.type), ['tool_use']);
  const toolUse = message.content[0];
  assert.equal(toolUse.id, expected.toolCallId);
  assert.equal(toolUse.name, weatherTool.name);
  assert.deepEqual(toolUse.input, JSON.parse(expected.toolArguments));
  return toolUse;
}

function pick(usage) {
  assert.ok(usage, 'usage is missing');
  // chat upstreams report no cache writes and these report no cache reads, so input_tokens is the whole prompt
  assert.equal(usage.cache_read_input_tokens ?? 0, 0);
  return { prompt: usage.input_tokens, completion: usage.output_tokens, total: usage.input_tokens + usage.output_tokens };
}
