#!/usr/bin/env python3
"""The layers of docs/internals.md, checked on every #include "..." of the program's sources.

Each folder is a layer; a file may include headers of its own layer or of a lower one, never
of a higher one:

  0 base      kiosk/base                  allocation, logging, money, formatting, time, UTF-8, hex
  1 domain    kiosk/conf kiosk/bill        configuration, bill decoding, the flow core,
              kiosk/flow kiosk/receipt     receipts and the journal's records (no I/O)
  2 offline   offline                      the store, the outbox, the billing-center client
  3 drivers   drivers                      transports and devices (they may use the store)
  4 services  kiosk/svc                    the workers that join devices, store and flow
  5 ui        ui                           SDL window, widgets, screens
  6 main      kiosk/shell kiosk/tool       the program, the script interface, kiosk-tool,
              kiosk/link                   kiosk-link (the network process)

Also: SDL is included only in ui/ and kiosk/shell/, and by the image printer's rasterizer
(SDL_ttf, loaded by kiosk/base/ttf_lib, draws a receipt's text into a surface that pngio
writes): the window and its events
belong to the ui and the main loop alone.  Usage: layers.py ROOT; prints one line
per wrong-way include (file:line: includes X (layer) from layer), then a summary line;
exit 1 on any finding."""
import os, re, sys

LAYERS = [('kiosk/base', 0, 'base'), ('kiosk/conf', 1, 'domain'), ('kiosk/bill', 1, 'domain'),
          ('kiosk/flow', 1, 'domain'), ('kiosk/receipt', 1, 'domain'), ('offline', 2, 'offline'),
          ('drivers', 3, 'drivers'), ('kiosk/svc', 4, 'services'), ('ui', 5, 'ui'),
          ('kiosk/shell', 6, 'main'), ('kiosk/tool', 6, 'main'),
          ('kiosk/link', 6, 'main')]
SDL_OK = ('ui/', 'kiosk/shell/')
SDL_RASTER = ('kiosk/base/pngio.h', 'kiosk/base/pngio.c', 'kiosk/base/ttf_lib.h', 'kiosk/base/ttf_lib.c',
              'drivers/printer_image.c', 'drivers/printer_file.c')


def layer_of(path):
    d = os.path.dirname(path)
    for folder, rank, name in LAYERS:
        if d == folder:
            return rank, name
    return None


def main(root):
    findings, files, edges = [], 0, 0
    for folder, _, _ in LAYERS:
        top = os.path.join(root, folder)
        if not os.path.isdir(top):
            continue
        for f in sorted(os.listdir(top)):
            if not f.endswith(('.c', '.h')):
                continue
            rel = f'{folder}/{f}'
            files += 1
            me = layer_of(rel)
            for n, line in enumerate(open(os.path.join(root, rel), encoding='utf-8'), 1):
                m = re.match(r'\s*#\s*include\s*([<"])([^">]+)[">]', line)
                if not m:
                    continue
                if m.group(1) == '<':
                    if m.group(2).startswith('SDL') and not rel.startswith(SDL_OK) and rel not in SDL_RASTER:
                        findings.append(f'{rel}:{n}: includes <{m.group(2)}>: SDL belongs to ui/ and kiosk/shell/')
                    continue
                edges += 1
                target = layer_of(m.group(2))
                if target is None:
                    if not m.group(2).startswith(('tests/',)):
                        findings.append(f'{rel}:{n}: includes "{m.group(2)}", which is in no layer')
                    continue
                if target[0] > me[0]:
                    findings.append(f'{rel}:{n}: includes "{m.group(2)}" ({target[1]}) from the {me[1]} layer')
    for line in findings:
        print('layers:', line)
    print(f'layers: {files} files, {edges} includes, {len(findings)} wrong-way')
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else '.'))
