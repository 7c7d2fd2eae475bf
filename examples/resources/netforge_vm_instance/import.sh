terraform import netforge_vm_instance.web <uuid>
