"""llama.cpp's OpenAI-compatible server (llama-cpp-python's), set up as the peer of `sentemb serve`.

Embedding mode, pooling LAST (the prompt's last token: PromptEOL's read-out; the server has no setting for it, so
the GGUF's `<arch>.pooling_type` is overridden to 3 = LAST, which llama.cpp reads when the context leaves pooling
unspecified), the model's GGUF from sentemb's cache, the given threads. It embeds its input as it is, so the load driver sends prompts already in the template
(`sentemb load --send-prompts eol`). Requests are answered one at a time (llama-cpp-python holds one model behind
a lock), which is what its server does.

Usage: python llamacpp_server.py --model smollm2-135m --port 18081 [--threads 2] [--n-ctx 2048]
"""
from __future__ import annotations

import argparse

import gguf
import uvicorn
from llama_cpp.server.app import create_app
from llama_cpp.server.settings import ModelSettings, ServerSettings

import common as C


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=18081)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n-ctx", type=int, default=2048)
    a = ap.parse_args()
    path = C.model_path(a.model)
    field = gguf.GGUFReader(str(path)).fields["general.architecture"]
    arch = bytes(field.parts[field.data[0]]).decode()
    model = ModelSettings(
        model=str(path),
        model_alias=a.model,
        embedding=True,
        kv_overrides=[f"{arch}.pooling_type=int:3"],
        n_ctx=a.n_ctx,
        n_batch=a.n_ctx,
        n_ubatch=a.n_ctx,
        n_threads=a.threads,
        n_threads_batch=a.threads,
        verbose=False,
    )
    server = ServerSettings(host=a.host, port=a.port)
    app = create_app(server_settings=server, model_settings=[model])
    uvicorn.run(app, host=a.host, port=a.port, log_level="warning")


if __name__ == "__main__":
    main()
