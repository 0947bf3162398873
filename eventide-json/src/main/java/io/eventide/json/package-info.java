/** JSON through Jackson for Eventide HTTP: {@link io.eventide.json.Json}. */
package io.eventide.json;
