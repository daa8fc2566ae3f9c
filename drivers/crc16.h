#ifndef DRIVERS_CRC16_H
#define DRIVERS_CRC16_H
/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor; "123456789"
 * gives 0x29B1): the check of KPP/1 frames and of Vendotek's serial frames. */
#include <stddef.h>
#include <stdint.h>

uint16_t crc16_ccitt(const uint8_t *p, size_t n);

#endif
