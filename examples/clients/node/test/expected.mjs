// What the harness's fake upstream answers, handed over by ClientScriptsTest (one source of truth: Script.java).
const required = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these scripts through ./mvnw verify (ClientScriptsTest), which starts a node`);
  }
  return value;
};

export const baseURL = required('OPENFUSION_BASE_URL');
export const apiKey = required('OPENFUSION_API_KEY');
export const expected = JSON.parse(required('OPENFUSION_EXPECTED'));

export const QUESTION = 'What is the capital of France?';

/** Both routes every client is checked on: a fused answer and a passed-through one. */
export const routes = [
  { name: 'fused', model: expected.fusionModel, text: expected.fusedText, usage: expected.fusedUsage },
  { name: 'passed through', model: expected.passThroughModel, text: expected.passThroughText, usage: expected.passThroughUsage },
];
