# Compiler settings shared by every Loveless target: call loveless_target_settings(<target>).
# -Wnull-dereference is left out: with GCC 12 at -O2 it reports false positives
# inside nlohmann::json's inlined accessors that no code of ours can address.
add_library(loveless_build_settings INTERFACE)
add_library(loveless::build_settings ALIAS loveless_build_settings)
target_compile_options(loveless_build_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${LOVELESS_WERROR}>:-Werror>)
# GCC 12 reports -Wrestrict on ordinary std::string concatenation at -O3
# (GCC bug 105329); it cannot be addressed in our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(loveless_build_settings INTERFACE -Wno-restrict)
endif()

if(LOVELESS_SANITIZE)
  target_compile_options(loveless_build_settings INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(loveless_build_settings INTERFACE -fsanitize=address,undefined)
endif()

function(loveless_target_settings target)
  target_link_libraries(${target} PRIVATE loveless::build_settings)
endfunction()
