# cmake -DINPUT=file -DOUTPUT=header -P embed.cmake: writes the bytes of INPUT
# as a C++ array (a byte list has no length limit, unlike a string literal).
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
get_filename_component(name ${INPUT} NAME)
file(WRITE ${OUTPUT}
  "// Generated from server/${name} by server/embed.cmake at build time; do not edit.\n"
  "#pragma once\n\nnamespace perwal::server {\n\n"
  "inline constexpr unsigned char openapi_json[] = {${bytes}};\n\n"
  "}  // namespace perwal::server\n")
