"""The bundled demo pair and its SI-SDR figures."""
