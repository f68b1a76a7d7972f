// The official OpenAI Node SDK against openfusion's Responses API: client.responses.*, with the same baseURL and
// apiKey as chat completions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { apiKey, baseURL, expected, QUESTION, routes } from './expected.mjs';

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};
const TOOL_OUTPUT = 'sunny, 24 C';

for (const route of routes) {
  test(`openai SDK responses: create, ${route.name}`, async () => {
    const response = await client.responses.create({ model: route.model, input: QUESTION, instructions: 'Answer briefly.' });

    assert.equal(response.object, 'response');
    assert.match(response.id, /^resp_/);
    assert.equal(response.status, 'completed');
    assert.equal(response.model, route.model);
    assert.equal(response.error, null);
    assert.equal(response.output_text, route.text);
    assert.deepEqual(response.output.map((item) => item.type), ['message']);
    assert.deepEqual(pick(response.usage), route.usage);
  });

  test(`openai SDK responses: create with stream: true, ${route.name}`, async () => {
    const stream = await client.responses.create({ model: route.model, input: QUESTION, stream: true });
    const events = [];
    for await (const event of stream) {
      events.push(event);
    }

    assert.deepEqual(events.filter((e) => e.type === 'error' || e.type === 'response.failed'), []);
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i), 'sequence_number counts from 0');
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ['response.created', 'response.in_progress', 'response.output_item.added']);
    assert.equal(types.at(-1), 'response.completed');
    const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    assert.equal(text, route.text);
    assert.equal(events.find((e) => e.type === 'response.output_text.done').text, route.text);
    const completed = events.at(-1).response;
    assert.equal(completed.id, events[0].response.id);
    assert.equal(completed.status, 'completed');
    assert.equal(completed.output_text, route.text);
    assert.deepEqual(pick(completed.usage), route.usage);
  });

  test(`openai SDK responses: stream() and finalResponse(), ${route.name}`, async () => {
    const stream = client.responses.stream({ model: route.model, input: QUESTION });
    let deltas = '';
    let snapshot;
    const types = [];
    stream.on('event', (event) => types.push(event.type));
    stream.on('response.output_text.delta', (event) => {
      deltas += event.delta;
      snapshot = event.snapshot;
    });

    const response = await stream.finalResponse();

    assert.equal(deltas, route.text);
    assert.equal(snapshot, route.text, 'the helper accumulates the text of the content part');
    assert.ok(!types.includes('error'), `events: ${types.join(', ')}`);
    assert.equal(types.at(-1), 'response.completed');
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, route.text);
    assert.deepEqual(pick(response.usage), route.usage);
  });

  test(`openai SDK responses: a function call and its output with previous_response_id, ${route.name}`, async () => {
    const first = await client.responses.create({ model: route.model, input: 'What is the weather in Paris?', tools: [weatherTool] });

    const call = onlyFunctionCall(first);
    assert.equal(first.status, 'completed');
    assert.equal(first.output_text, '');

    const second = await client.responses.create({
      model: route.model,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: TOOL_OUTPUT }],
      tools: [weatherTool],
    });

    assert.equal(second.previous_response_id, first.id);
    assert.equal(second.status, 'completed');
    assert.equal(second.output_text, expected.toolAnswerPrefix + TOOL_OUTPUT);
    assert.ok(second.usage.total_tokens > 0);
  });

  test(`openai SDK responses: a streamed function call and its streamed answer, ${route.name}`, async () => {
    const firstStream = client.responses.stream({ model: route.model, input: 'What is the weather in Paris?', tools: [weatherTool] });
    const argumentDeltas = [];
    firstStream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    let argumentsDone;
    firstStream.on('response.function_call_arguments.done', (event) => {
      argumentsDone = event.arguments;
    });

    const first = await firstStream.finalResponse();

    const call = onlyFunctionCall(first);
    assert.ok(argumentDeltas.length > 1, 'the arguments arrive in pieces');
    assert.equal(argumentDeltas.join(''), expected.toolArguments);
    assert.equal(argumentsDone, expected.toolArguments);

    const secondStream = client.responses.stream({
      model: route.model,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: TOOL_OUTPUT }],
      tools: [weatherTool],
    });
    let text = '';
    secondStream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    const second = await secondStream.finalResponse();

    assert.equal(text, expected.toolAnswerPrefix + TOOL_OUTPUT);
    assert.equal(second.output_text, expected.toolAnswerPrefix + TOOL_OUTPUT);
    assert.equal(second.status, 'completed');
  });

  test(`openai SDK responses: retrieve and delete, ${route.name}`, async () => {
    const created = await client.responses.create({ model: route.model, input: QUESTION });

    const retrieved = await client.responses.retrieve(created.id);

    assert.equal(retrieved.id, created.id);
    assert.equal(retrieved.status, 'completed');
    assert.equal(retrieved.output_text, route.text);
    assert.deepEqual(pick(retrieved.usage), route.usage);

    await client.responses.delete(created.id);

    await assert.rejects(client.responses.retrieve(created.id),
      (error) => error instanceof OpenAI.NotFoundError && error.status === 404 && error.code === 'not_found');
    await assert.rejects(client.responses.delete(created.id), (error) => error instanceof OpenAI.NotFoundError);
  });
}

test('openai SDK responses: a built-in tool is an APIError with status and code', async () => {
  const builtIn = { model: routes[0].model, input: QUESTION, tools: [{ type: 'web_search_preview' }] };
  const isUnsupported = (error) => error instanceof OpenAI.APIError && error instanceof OpenAI.BadRequestError
    && error.status === 400 && error.code === 'unsupported_parameter' && error.type === 'invalid_request_error'
    && error.message.includes('web_search_preview');

  await assert.rejects(client.responses.create(builtIn), isUnsupported);
  await assert.rejects(client.responses.stream(builtIn).finalResponse(), isUnsupported);
});

test('openai SDK responses: a wrong key is an AuthenticationError', async () => {
  const stranger = new OpenAI({ baseURL, apiKey: 'sk-not-a-gateway-key', maxRetries: 0 });

  await assert.rejects(stranger.responses.create({ model: routes[0].model, input: QUESTION }),
    (error) => error instanceof OpenAI.AuthenticationError && error.status === 401 && typeof error.code === 'string');
});

function onlyFunctionCall(response) {
  assert.deepEqual(response.output.map((item) => item.type), ['function_call']);
  const call = response.output[0];
  assert.match(call.id, /^fc_/);
  assert.equal(call.call_id, expected.toolCallId);
  assert.equal(call.name, weatherTool.name);
  assert.equal(call.arguments, expected.toolArguments);
  assert.equal(call.status, 'completed');
  return call;
}

function pick(usage) {
  assert.ok(usage, 'usage is missing');
  return { prompt: usage.input_tokens, completion: usage.output_tokens, total: usage.total_tokens };
}
