// The perwal extension: a client for `perwal lsp` (diagnostics, hover, go to
// definition, references, rename, quick fixes, symbols, completion, format).
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function start() {
  const command = vscode.workspace.getConfiguration("perwal").get("path") || "perwal";
  client = new LanguageClient(
    "perwal",
    "perwal",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "perwal" }] }
  );
  return client.start().catch((e) => {
    vscode.window.showErrorMessage(
      `perwal: cannot start "${command} lsp" (${e.message}); set perwal.path to the perwal program`
    );
  });
}

function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("perwal.path")) return;
      if (client) await client.stop();
      await start();
    })
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
