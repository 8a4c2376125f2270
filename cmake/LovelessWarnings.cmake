# Compiler settings shared by every Loveless target: call loveless_target_settings(<target>).
# They are ours alone: a static library links loveless_build_settings
# privately, so its flags reach no target of a project that uses Loveless
# (only the sanitizer link flags of a LOVELESS_SANITIZE build do, which its
# binaries need). The C++20 our public headers need is the one setting that
# does reach them (a compile feature of each library).
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
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    target_compile_features(${target} PUBLIC cxx_std_20)
  endif()
endfunction()
