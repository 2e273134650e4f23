import { After, Before, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import { GmWorld } from './world.ts';
import { scenarioId } from './scenario-id.ts';

setWorldConstructor(GmWorld);
setDefaultTimeout(Number(process.env.GMEVAL_STEP_TIMEOUT_MS) || 60_000);

Before(function (this: GmWorld, { pickle }) {
  this.tags = pickle.tags.map((t) => t.name);
  this.scenarioId = scenarioId(pickle.uri, pickle.name, pickle.steps.map((s) => s.text));
});

After(async function (this: GmWorld) {
  await this.closeAdapters();
});
