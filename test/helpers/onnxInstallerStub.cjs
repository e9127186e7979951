// Loaded through NODE_OPTIONS=--require by test/integration/installCudaProvider.test.ts: onnxruntime-node's
// installer decides as it would, but instead of downloading it writes what it would fetch to
// $ONNX_INSTALLER_STUB_OUT. The network is blocked too, so a stub that fails to apply downloads nothing.
const Module = require('node:module');
const https = require('node:https');
const { writeFileSync } = require('node:fs');

https.get = () => {
  throw new Error('the installer stub blocks the network');
};

const load = Module._load;
Module._load = function loadWithStub(request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  if (request !== './install-utils.js' || !parent?.filename?.includes('onnxruntime-node')) return loaded;
  return {
    ...loaded,
    installPackages: async (packages, manifests) => {
      const wanted = { packages: [...packages].map((p) => p.name), files: manifests.map((m) => m.filepath) };
      writeFileSync(process.env.ONNX_INSTALLER_STUB_OUT, JSON.stringify(wanted));
    },
  };
};
