// SPDX-License-Identifier: GPL-3.0-or-later
// A Thing exposed by Eclipse Thingweb node-wot, unmodified: its default
// TD (absolute hrefs on every address of the machine, JSON and CBOR
// forms, long-poll for events and observation). The interop suite puts
// it behind the hub through a bridge from <service>/interface.sock to its
// port. usage: node counter-thing.mjs PORT
import core from "@node-wot/core";
import http from "@node-wot/binding-http";

const { Servient } = core;
const { HttpServer } = http;

const port = Number(process.argv[2]);
const servient = new Servient();
// The hub asks every service for /.well-known/wot (docs/services.md)
servient.addServer(new HttpServer({ port, urlRewrite: { "/.well-known/wot": "/counter" } }));

const WoT = await servient.start();
let count = 0;
let label = "hall";
let enabled = true;
let ratio = 0.5;
let tags = ["a", "b"];
let config = { mode: "auto", level: 3 };

const thing = await WoT.produce({
  title: "counter",
  description: "A node-wot counter",
  properties: {
    count: { type: "integer", observable: true, readOnly: true },
    label: { type: "string" },
    enabled: { type: "boolean" },
    ratio: { type: "number", minimum: 0, maximum: 1 },
    tags: { type: "array", items: { type: "string" } },
    config: { type: "object", properties: { mode: { type: "string", enum: ["auto", "manual"] },
                                            level: { type: "integer" } } },
  },
  actions: {
    increment: { input: { type: "object", properties: { step: { type: "integer" } } },
                 output: { type: "integer" } },
  },
  events: { change: { data: { type: "integer" } } },
});

thing.setPropertyReadHandler("count", async () => count);
thing.setPropertyReadHandler("label", async () => label);
thing.setPropertyWriteHandler("label", async (value) => { label = await value.value(); });
thing.setPropertyReadHandler("enabled", async () => enabled);
thing.setPropertyWriteHandler("enabled", async (value) => { enabled = await value.value(); });
thing.setPropertyReadHandler("ratio", async () => ratio);
thing.setPropertyWriteHandler("ratio", async (value) => { ratio = await value.value(); });
thing.setPropertyReadHandler("tags", async () => tags);
thing.setPropertyWriteHandler("tags", async (value) => { tags = await value.value(); });
thing.setPropertyReadHandler("config", async () => config);
thing.setPropertyWriteHandler("config", async (value) => { config = await value.value(); });
thing.setActionHandler("increment", async (params) => {
  const input = params ? await params.value() : {};
  count += input && input.step ? input.step : 1;
  thing.emitPropertyChange("count");
  thing.emitEvent("change", count);
  return count;
});

// Something happens by itself, so that observers see events
setInterval(() => {
  count += 1;
  thing.emitPropertyChange("count");
  thing.emitEvent("change", count);
}, Number(process.env.COUNTER_TICK_MS || 1000));

await thing.expose();
console.log(`ready on ${port}`);
