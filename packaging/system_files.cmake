# Run by CPack alone (CPACK_INSTALL_SCRIPTS; `cmake --install` never runs it):
# the files of the Debian package outside its install rules, into CPack's
# staging root (file(INSTALL) puts $DESTDIR before an absolute destination).
if("$ENV{DESTDIR}" STREQUAL "")
  message(FATAL_ERROR "packaging/system_files.cmake is for CPack's DEB generator (DESTDIR unset)")
endif()
set(dir ${CPACK_PERWAL_PACKAGING_DIR})
# The default config: a conffile (packaging/conffiles), kept over upgrades once edited.
file(INSTALL ${dir}/perwal.conf DESTINATION /etc/perwal
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL ${dir}/perwal.service DESTINATION /usr/lib/systemd/system
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# The nginx front end of several replicas (docs/deployment.md), an example to copy into /etc/nginx/conf.d/.
file(INSTALL ${dir}/nginx/perwal.conf DESTINATION /usr/share/doc/perwal/examples/nginx
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
