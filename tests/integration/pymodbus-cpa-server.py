#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An independent Modbus TCP server (pymodbus) holding the input registers of
the CPA reply vector in cryomech-cpa-modbus.json, for interoperability tests:
Cryomon's libmodbus client must read and decode them exactly.

Usage: pymodbus-cpa-server.py PORT VECTORS_JSON
Serves on 127.0.0.1:PORT until killed.
"""

import json
import logging
import sys

from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext,
                                ModbusSlaveContext)
from pymodbus.server import StartTcpServer


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    block = next(v for v in vectors if v["kind"] == "input_registers")

    # zero_mode: PDU address N is data block address N, so the block starting
    # at 1 answers input register 30,001 at PDU address 1
    # (cryomech-cpa-modbus.md "Addressing").
    registers = ModbusSequentialDataBlock(block["start_address"], block["registers"])
    holding = ModbusSequentialDataBlock(1, [0])
    slave = ModbusSlaveContext(ir=registers, hr=holding, zero_mode=True)
    context = ModbusServerContext(slaves=slave, single=True)

    logging.basicConfig(level=logging.WARNING)
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
