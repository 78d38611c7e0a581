/* fuzz-device-config.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cryo-device-config.h"

G_BEGIN_DECLS

void fuzz_device_config_setup (void);
void fuzz_device_config_check (const CryoDeviceConfig *config);
void fuzz_device_config_assert_error (const GError *error,
                                      gboolean      input_is_utf8);

G_END_DECLS
