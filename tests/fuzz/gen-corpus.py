#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of the fuzz targets into tests/fuzz/corpus/.

The seeds are every vector of tests/vectors/*.json plus hand-made edge
cases, each a small file named after what it holds. The corpus is kept in
the repository; run this again after a vector file changes:

    python3 tests/fuzz/gen-corpus.py
"""

import json
import os
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "vectors")
CORPUS = os.path.join(HERE, "corpus")

STX, ETX = 0x02, 0x03


def slug(text):
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def agilent_frame(payload, address=0, crc=None, lower=False):
    """STX ADDR payload ETX CRC (agilent-window.md "Frame")."""
    body = bytes([0x80 + address]) + payload + bytes([ETX])
    x = 0
    for b in body:
        x ^= b
    text = "%02X" % (x if crc is None else crc)
    if lower:
        text = text.lower()
    return bytes([STX]) + body + text.encode()


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def agilent_seeds():
    with open(os.path.join(VECTORS, "agilent-window.json")) as f:
        vectors = json.load(f)["vectors"]

    stream = b""
    for v in vectors:
        data = bytes.fromhex(v["bytes"])
        write("agilent-decoder", "vector-" + slug(v["kind"] + " " + v["description"]), data)
        stream += data
    write("agilent-decoder", "vectors-all-in-one-stream", stream)

    edge = {
        "garbage-then-read-reply": b"\x00\xff\x03xyz" + agilent_frame(b"2050000005"),
        "crc-lower-case": agilent_frame(b"2260081000", lower=True),
        "crc-not-hex": agilent_frame(b"2240")[:-2] + b"G7",
        "stx-inside-frame": agilent_frame(b"2240")[:5] + agilent_frame(b"2240"),
        "overlong-no-etx": bytes([STX, 0x80]) + b"0" * 40 + agilent_frame(b"0000"),
        "empty-frame": bytes([STX, ETX]) + b"03",
        "address-only": agilent_frame(b""),
        "address-out-of-range": agilent_frame(b"2240", address=-1),
        "highest-address": agilent_frame(b"2050", address=31),
        "unknown-code": agilent_frame(b"\x07"),
        "data-of-two-chars": agilent_frame(b"000012"),
        "data-not-printable": agilent_frame(b"2050\x01\x02\x03\x04\x05\x06"),
        "window-not-digits": agilent_frame(b"2x40"),
        "command-neither-read-nor-write": agilent_frame(b"2242"),
        "write-without-data": agilent_frame(b"0001"),
        "write-numeric-to-logic-window": agilent_frame(b"0001000001"),
        "write-alphanumeric": agilent_frame(b"22412.9E-03   "),
        "write-unknown-window": agilent_frame(b"5001123456"),
        "read-reply-window-999": agilent_frame(b"9990X"),
        "longest-frame": agilent_frame(b"22401.0E-07   "),
        "two-frames-back-to-back": agilent_frame(b"0000") + agilent_frame(b"\x06"),
        "etx-then-cut": agilent_frame(b"2240")[:-1],
    }
    for name, data in edge.items():
        write("agilent-decoder", "edge-" + name, data)

    # fuzz-agilent-reply.c: flags, code/address byte, data. Bits 3-7 of the
    # flags index its window table: 0 -> 0, 4 -> 163, 11 -> 205,
    # 13 -> 224, 14 -> 226, 18 -> 358, 26 -> 1000.
    def reply(index, data, code=0, is_code=False, is_write=False, other=False):
        flags = (index << 3) | (1 if is_code else 0) | (2 if is_write else 0) | (4 if other else 0)
        return bytes([flags, code]) + data

    for v in vectors:
        if v["kind"] == "read_reply":
            index = {"000": 0, "163": 4, "205": 11, "224": 13, "226": 14, "358": 18}[v["window"]]
            write("agilent-reply", "vector-" + slug(v["description"]),
                  reply(index, v["data"].encode(), code=v["address"]))
        elif v["kind"] == "code_reply":
            write("agilent-reply", "vector-code-" + slug(v["name"]),
                  reply(0, b"", code=v["code"], is_code=True))

    edge = {
        "pressure-lower-case-e": reply(13, b"1.5e+02   "),
        "pressure-no-fraction": reply(13, b"5E-01     "),
        "pressure-empty-fraction": reply(13, b"1.E-03    "),
        "pressure-leading-space": reply(13, b" 1.0E-03  "),
        "pressure-overflow": reply(13, b"9E+999    "),
        "pressure-underflow": reply(13, b"1E-400"),
        "pressure-four-exponent-digits": reply(13, b"1.0E-0001 "),
        "pressure-negative": reply(13, b"-1.0E-03  "),
        "pressure-nan": reply(13, b"nan       "),
        "numeric-max": reply(14, b"999999"),
        "numeric-letter": reply(14, b"00012a"),
        "numeric-seven-digits": reply(14, b"0000001"),
        "logic-two": reply(0, b"2"),
        "write-reply": reply(0, b"1", is_write=True),
        "other-window": reply(13, b"2.9E-03   ", code=0x70, other=True),
        "window-above-999": reply(26, b"000001"),
        "unknown-code": reply(0, b"", code=0x99, is_code=True),
        "data-longer-than-buffer": reply(13, b"1" * 40),
        "data-with-nul": reply(14, b"00\x0000001"),
    }
    for name, data in edge.items():
        write("agilent-reply", "edge-" + name, data)


def cpa_seeds():
    with open(os.path.join(VECTORS, "cryomech-cpa-modbus.json")) as f:
        vectors = json.load(f)["vectors"]

    registers = next(v["registers"] for v in vectors if v["kind"] == "input_registers")
    assert len(registers) == 33

    def pack(regs):
        return b"".join(struct.pack(">H", r) for r in regs)

    def with_regs(changes):
        regs = list(registers)
        for n, value in changes.items():
            regs[n - 1] = value
        return pack(regs)

    def float_regs(value):
        bits = struct.unpack("<I", struct.pack("<f", value))[0]
        return [bits & 0xFFFF, bits >> 16]

    def with_float(first, value):
        low, high = float_regs(value)
        return with_regs({first: low, first + 1: high})

    write("cpa-registers", "vector-running-cpa1110", pack(registers))
    warning = next(v for v in vectors if v["kind"] == "warning_state")
    write("cpa-registers", "vector-warning-state", with_float(3, warning["value"]))

    edge = {
        "no-registers": b"",
        "32-registers": pack(registers[:32]),
        "34-registers": pack(registers + [0]),
        "odd-byte": pack(registers) + b"\x01",
        "running-2": with_regs({2: 2}),
        "unknown-state": with_regs({1: 42}),
        "helium-nan": with_float(13, float("nan")),
        "oil-infinite": with_float(11, float("inf")),
        "warnings-positive": with_float(3, 4.0),
        "warnings-not-whole": with_float(3, -2.5),
        "warnings-minus-zero": with_float(3, -0.0),
        "alarms-bit-31": with_float(5, -2147483648.0),
        "alarms-all-bits": with_float(5, -2147483520.0),
        "pressure-scale-3": with_regs({29: 3}),
        "temperature-scale-high-byte": with_regs({30: 0x0102}),
        "hours-minus-zero": with_float(27, -0.0),
        "hours-largest-float": with_float(27, 3.4028234663852886e38),
        "all-ones": pack([0xFFFF] * 33),
    }
    for name, data in edge.items():
        write("cpa-registers", "edge-" + name, data)


def oxcryo_seeds():
    with open(os.path.join(VECTORS, "oxford-cryostream.json")) as f:
        vectors = json.load(f)["vectors"]

    standard = extended = None
    commands = b""
    for v in vectors:
        data = bytes.fromhex(v["bytes"])
        name = slug(v.get("description", v["kind"]))
        if v["kind"] == "command":
            write("oxcryo-command", "vector-" + name, data)
            commands += data
        else:
            write("oxcryo-decoder", "vector-" + slug(v["kind"]) + "-" + name
                  if "description" in v else "vector-" + slug(v["kind"]), data)
            if v["kind"] == "status_standard":
                standard = data
            elif v["kind"] == "status_extended":
                extended = data
    write("oxcryo-command", "vectors-all-in-one-stream", commands)

    def with_byte(packet, offset, value):
        return packet[:offset] + bytes([value]) + packet[offset + 1:]

    edge = {
        "standard-then-extended": standard + extended,
        "extended-cut-short": extended[:30],
        "standard-cut-then-standard": standard[:10] + standard,
        "length-byte-at-end": standard + b"\x20",
        "run-mode-out-of-range": with_byte(standard, 8, 7),
        "phase-unknown": with_byte(standard, 9, 6),
        "alarm-out-of-range": with_byte(standard, 25, 57),
        "heat-over-100": with_byte(standard, 21, 101),
        "hardware-unknown-bit": with_byte(extended, 33, 0x10),
        "turbo-2": with_byte(extended, 32, 2),
        "standard-length-extended-type": with_byte(standard, 1, 2),
        "noise-shaped-like-headers": b"\x20\x01\x2a\x02\x20\x20\x01" + standard,
    }
    for name, data in edge.items():
        write("oxcryo-decoder", "edge-" + name, data)

    edge = {
        "end-short-form": b"\x02\x0f",
        "end-rate-0": b"\x04\x0f\x00\x00",
        "ramp-rate-out-of-range": b"\x06\x0b\x01\x69\x61\xda",
        "ramp-target-too-low": b"\x06\x0b\x00\x78\x1f\x3f",
        "cool-plus-target": b"\x04\x0e\xc3\x50",
        "plat-0": b"\x04\x0c\x00\x00",
        "turbo-flag-2": b"\x03\x14\x02",
        "size-id-mismatch": b"\x04\x13\x00\x00\x02\x13",
        "ramp-cut-short": b"\x06\x0b\x00\x78",
        "unknown-id": b"\x02\x63\x02\x13",
    }
    for name, data in edge.items():
        write("oxcryo-command", "edge-" + name, data)


def incuvers_crc(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def incuvers_status(payload, upper=False):
    """Len~CRC32$payload\r\n, CRC over the payload (incuvers-pilink.md)."""
    crc = "%08x" % incuvers_crc(payload)
    return b"%d~%s$%s\r\n" % (len(payload), (crc.upper() if upper else crc).encode(), payload)


def incuvers_command(payload):
    """The same framing with the CRC over the payload and "\r"."""
    return b"%d~%08x$%s\r\n" % (len(payload), incuvers_crc(payload + b"\r"), payload)


def incuvers_seeds():
    with open(os.path.join(VECTORS, "incuvers-pilink.json")) as f:
        vectors = json.load(f)["vectors"]

    stream = b""
    status = None
    for i, v in enumerate(vectors):
        line = v["line"].encode()
        name = slug(v.get("description", v.get("payload", v["kind"])))
        if v["kind"] == "status_line":
            write("incuvers-decoder", "vector-%d-%s" % (i, name), line)
            stream += line
            if status is None and v["valid"]:
                status = line
        else:
            write("incuvers-command", "vector-" + name, line)
    write("incuvers-decoder", "vectors-all-in-one-stream", stream)

    payload = status[status.index(b"$") + 1:-2]
    edge = {
        "upper-case-crc": incuvers_status(payload, upper=True),
        "cut-then-whole": status[:50] + status,
        "cut-in-length": status[:2] + status,
        "cut-in-crc": status[:8] + b"\r\n" + status,
        "garbage-80": b"x" * 80 + status,
        "garbage-79-then-digits": b"y" * 77 + b"180" + status,
        "blank-lines": b"\r\n\r\n" + status + b"\n",
        "no-header-line": b"TS|1&TC|3700\r\n" + status,
        "length-zero": b"0~00000000$\r\n" + status,
        "length-too-long": b"99999~00000000$x\r\n" + status,
        "leading-ampersand": incuvers_status(b"&&TC|3700&&TP|3750&"),
        "indicators-only": incuvers_status(b"TS|+=&TA|*&CA|2&LS|1"),
        "not-numbers": incuvers_status(b"TC|37.5&TP|&FM|x&FM|y&TS|&TS|abc"),
        "field-without-bar": incuvers_status(b"TC|3700&BAD&TP|3700"),
        "nul-in-payload": incuvers_status(b"TC|37\x0000"),
        "new-header-inside": status[:100] + b"12~" + status,
    }
    for name, data in edge.items():
        write("incuvers-decoder", "edge-" + name, data)

    edge = {
        "set-points": incuvers_command(b"TP|3750&CP|500&OP|2000"),
        "modes": incuvers_command(b"TM|1&CM|2&OM|0&FM|4&SS|1"),
        "identity": incuvers_command(b"ID|IRIS0002&IP4|192.168.100.200"),
        "longest": incuvers_command(b"MWR|b8:27:eb:12:34:56&MWF|b8:27:eb:65:43:21&TM|1"),
        "too-long-52": incuvers_command(b"MWR|b8:27:eb:12:34:56&MWF|b8:27:eb:65:43:21&TM|10"),
        "out-of-range": incuvers_command(b"TP|7500&CP|10&OP|0"),
        "upper-case-crc": incuvers_command(b"TP|3750").upper(),
        "no-cr": b"7~e3516923$TP|3750\n",
        "unknown-key": incuvers_command(b"LS|1"),
        "empty-field": incuvers_command(b"&TP|3750&&"),
    }
    for name, data in edge.items():
        write("incuvers-command", "edge-" + name, data)


def device_seeds():
    # The kinds as registered in src/app/cryo-kinds.c, and the examples
    # of the README.
    specs = {
        "readme-pump-station": "pump-station:/dev/ttyUSB0",
        "readme-cpa-serial": "cpa:/dev/ttyUSB1,baud=9600,parity=even,unit=16",
        "cpa-tcp": "cpa:tcp:192.0.2.7:502,unit=1,poll=2",
        "cpa-tcp-default-port": "cpa:tcp:cpa.lab.example",
        "cpa-tcp-ipv6": "cpa:tcp:[2001:db8::7]:1502",
        "every-key": "pump-station:/dev/ttyS0,name=Turbo A,poll=0.5,baud=19200,parity=odd,"
                     "databits=7,stopbits=2,address=3,enabled=false",
        "escaped-comma": "pump-station:/dev/serial/by-id/usb-FTDI\\,1,name=Pump\\, left\\\\",
        "name-with-spaces": "pump-station:/dev/ttyUSB0,name=  R&D <run 3>  ",
        "name-with-brackets": "pump-station:/dev/ttyUSB0,name=Pump [A]",
        "name-with-tab": "pump-station:/dev/ttyUSB0,name=Pump\tA",
        "unknown-kind": "cryostream:/dev/ttyUSB0",
        "unknown-option": "pump-station:/dev/ttyUSB0,unit=3",
        "option-out-of-range": "pump-station:/dev/ttyUSB0,address=32",
        "odd-baud": "pump-station:/dev/ttyUSB0,baud=12345",
        "poll-too-short": "pump-station:/dev/ttyUSB0,poll=0.05",
        "poll-nan": "cpa:/dev/ttyUSB1,poll=nan",
        "tcp-for-serial-kind": "pump-station:tcp:localhost:4001",
        "tcp-port-zero": "cpa:tcp:host:0",
        "tcp-empty-host": "cpa:tcp::502",
        "tcp-bracket-unclosed": "cpa:tcp:[::1",
        "tcp-bracket-in-host": "cpa:tcp:a:b]:5",
        "empty-port": "pump-station:,name=x",
        "no-colon": "pump-station",
        "empty-value": "pump-station:/dev/ttyUSB0,name=",
        "key-without-value": "pump-station:/dev/ttyUSB0,baud",
        "not-utf8-name": b"pump-station:/dev/ttyUSB0,name=\xff\xfe",
        "not-utf8-port": b"pump-station:/dev/\xff",
        "stable-id": "pump-station:/dev/ttyUSB0,name=Roughing pump,id=pumping_station_2",
        "id-with-dot": "pump-station:/dev/ttyUSB0,id=pump.a",
        "id-upper-case": "pump-station:/dev/ttyUSB0,id=Pump",
    }
    for name, spec in specs.items():
        write("device-spec", name, spec if isinstance(spec, bytes) else spec.encode())

    confs = {
        "readme": "[Pumping station]\ntype=pump-station\nport=/dev/ttyUSB0\nbaud=9600\n"
                  "address=0\npoll=1\n",
        "two-devices": "# Lab 2\n[Turbo]\ntype=pump-station\nport=/dev/ttyUSB0\n\n"
                       "[Compressor]\ntype=cpa\nport=tcp:192.0.2.7\nunit=1\nenabled=false\n",
        "escapes": "[Pump\\s]\ntype=pump-station\nport=\\s/dev/tty\\tS0\\n\n",
        "group-with-spaces": "[  Pump A  ]\ntype=pump-station\nport=/dev/ttyS0\n",
        "missing-port": "[Pump]\ntype=pump-station\n",
        "unknown-type": "[Pump]\ntype=cryostream\nport=/dev/ttyS0\n",
        "name-key-ignored": "[Pump]\nname=Other\ntype=pump-station\nport=/dev/ttyS0\n",
        "localized-key": "[Pump]\ntype=pump-station\nport=/dev/ttyS0\npoll[de]=1\n",
        "empty-value": "[Pump]\ntype=pump-station\nport=/dev/ttyS0\nbaud=\n",
        "duplicate-group": "[P]\ntype=cpa\nport=/dev/a\n[P]\nport=/dev/b\n",
        "comments-everywhere": "# file\n\n# above A\n[A]\n# in A\ntype=cpa\nport=/dev/a\n\n"
                               "# above B\n[B]\ntype=pump-station\nport=/dev/b\n# end\n",
        "crlf": "[A]\r\ntype=cpa\r\nport=/dev/a\r\n\r\n[B]\r\ntype=cpa\r\nport=/dev/b\r\n",
        "no-final-newline": "[A]\ntype=cpa\nport=/dev/a",
        "not-utf8-value": b"[Pump]\ntype=pump-station\nport=/dev/\xff\n",
        "not-utf8-group": b"[Pump\xff]\ntype=pump-station\nport=/dev/ttyS0\n",
        "renamed-with-id": "[Roughing pump]\ntype=pump-station\nport=/dev/ttyS0\nid=pumping_station\n\n"
                           "[Pumping station]\ntype=pump-station\nport=/dev/ttyS1\n",
        "empty-id": "[Pump]\ntype=pump-station\nport=/dev/ttyS0\nid=\n",
    }
    for name, text in confs.items():
        write("devices-conf", name, text if isinstance(text, bytes) else text.encode())


def cti_frame(data, checksum=None):
    """'$' DATA CHECKSUM CR (cti-onboard.md "Packet")."""
    total = sum(b & 0x7F for b in data) & 0xFF
    chk = ((total ^ (total >> 6)) & 0x3F) + 0x30
    return b"$" + data + bytes([chk if checksum is None else checksum]) + b"\r"


def cti_seeds():
    with open(os.path.join(VECTORS, "cti-onboard.json")) as f:
        vectors = json.load(f)["vectors"]

    stream = b""
    for v in vectors:
        data = bytes.fromhex(v["bytes"])
        write("cti-decoder", "vector-" + slug(v["kind"] + " " + v["description"]), data)
        stream += data
    write("cti-decoder", "vectors-all-in-one-stream", stream)

    edge = {
        "dollar-mid-packet": b"$A+02" + cti_frame(b"A15.3"),
        "eight-bit-packet": bytes(b | 0x80 for b in cti_frame(b"A+0295.1")),
        "noise-then-packet": b"\x00\xff\n\x80abc" + cti_frame(b"AdW"),
        "overlong": b"$" + b"1" * 20 + b"\r" + cti_frame(b"J"),
        "control-inside": b"$A1\x012\r" + cti_frame(b"K"),
        "empty-packet": b"$\r$A\r",
        "bad-checksum": cti_frame(b"J", checksum=ord("<")),
        "status-hex": cti_frame(b"A39"),
        "status-raw-del": cti_frame(b"A\x7f"),
        "decimal-exponent-only": cti_frame(b"Ae5"),
        "decimal-huge-exponent": cti_frame(b"A1e999"),
        "count-too-big": cti_frame(b"A4294967296"),
        "regen-step-unknown": cti_frame(b"Ap"),
        "biased-hex-low": cti_frame(b"A3F"),
        "network-terminal-erase": cti_frame(b"P01d"),
        "erase-history": cti_frame(b"d"),
        "longest-data": cti_frame(b"A1234567890123"),
        "reply-refused-power-fail": cti_frame(b"H"),
        "reply-unknown-code": cti_frame(b"C12"),
    }
    for name, data in edge.items():
        write("cti-decoder", "edge-" + name, data)


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    agilent_seeds()
    cpa_seeds()
    oxcryo_seeds()
    cti_seeds()
    incuvers_seeds()
    device_seeds()


if __name__ == "__main__":
    main()
